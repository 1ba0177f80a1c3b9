/**
 * What the settings of every layer share: the check of their durations. Each layer's settings (SMTP, policy
 * engine, HTTPS, TLS-RPT) are immutable values made by builders in their own package.
 */
package io.github.jamesmtasts.settings;

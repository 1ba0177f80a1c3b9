/**
 * The outcome of one TLS session with a receiving MX, in the words of TLS-RPT (RFC 8460 §4.3).
 *
 * <p>Every step that can go wrong, from the policy lookup to the certificate check, names its
 * failure with one of the RFC 8460 result types. Delivery acts on it, logs it and hands it to a
 * {@link io.github.jamesmtasts.result.ResultSink}, from which TLS-RPT counts the day's sessions.
 * This package depends on nothing else in the project, so every other package may use it.
 */
package io.github.jamesmtasts.result;

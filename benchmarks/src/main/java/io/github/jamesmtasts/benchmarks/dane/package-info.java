/** JMH benchmarks of the DANE decision (RFC 7672): the TLSA state of an MX host from cached answers, and the certificate check. */
package io.github.jamesmtasts.benchmarks.dane;

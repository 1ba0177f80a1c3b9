/** JMH benchmark of counting one million session results into a day's TLS-RPT reports (README, "Benchmarks"). */
package io.github.jamesmtasts.benchmarks.tlsrpt;

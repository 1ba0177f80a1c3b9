/**
 * Counting TLS sessions for TLS-RPT (RFC 8460 §4.4): every session result delivery records is added to the
 * counts of its report period, policy domain and policy ({@link io.github.jamesmtasts.tlsrpt.counting.ResultAggregator},
 * lock-free), and the counts are written to a {@link io.github.jamesmtasts.tlsrpt.counting.ResultStore} often,
 * as the {@code policies} JSON of a report ({@link io.github.jamesmtasts.tlsrpt.counting.PolicyCountsJson}), so
 * that a restart loses none.
 */
package io.github.jamesmtasts.tlsrpt.counting;

/**
 * SMTP TLS Reporting (RFC 8460): daily reports, to the domains James sends to, of how TLS went.
 *
 * <p>Delivery hands every session result to a {@link io.github.jamesmtasts.tlsrpt.counting.ResultAggregator},
 * which counts successes and failures per report period, policy domain and policy (§4.4) and writes the
 * counts to a {@link io.github.jamesmtasts.tlsrpt.counting.ResultStore} often, so that a restart loses none.
 * When a period (a UTC day by default, §4.1) has ended, the
 * {@link io.github.jamesmtasts.tlsrpt.sending.ReportScheduler} looks up each domain's {@code _smtp._tls} TXT
 * record ({@link io.github.jamesmtasts.tlsrpt.TlsRptRecord}, §3). A domain that publishes exactly one
 * valid record gets a {@link io.github.jamesmtasts.tlsrpt.sending.TlsReport}: JSON per §4.4
 * ({@link io.github.jamesmtasts.tlsrpt.sending.ReportJson}), compressed with GZIP and named per §5.1, sent to
 * every {@code rua} destination: by mail ({@link io.github.jamesmtasts.tlsrpt.sending.ReportMessage}, §5.3)
 * through a {@link io.github.jamesmtasts.tlsrpt.sending.ReportMailer}, or by HTTPS POST (§5.4) through a
 * {@link io.github.jamesmtasts.tlsrpt.sending.ReportUploader}. Failed destinations are retried with
 * exponential backoff for 24 hours (§5.5). Report mails are never reported on themselves (§3).
 *
 * <p>This package knows nothing of James: the {@code james} package supplies the mailer.
 */
package io.github.jamesmtasts.tlsrpt;

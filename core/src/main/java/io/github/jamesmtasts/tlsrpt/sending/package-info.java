/**
 * Sending TLS-RPT reports (RFC 8460 §4, §5): when a period has ended, the
 * {@link io.github.jamesmtasts.tlsrpt.sending.ReportScheduler} makes one
 * {@link io.github.jamesmtasts.tlsrpt.sending.TlsReport} per policy domain that publishes a valid
 * {@code _smtp._tls} record, as gzip JSON ({@link io.github.jamesmtasts.tlsrpt.sending.ReportJson}), and sends it
 * to every {@code rua}: by mail ({@link io.github.jamesmtasts.tlsrpt.sending.ReportMessage} through a
 * {@link io.github.jamesmtasts.tlsrpt.sending.ReportMailer}) or by HTTPS POST (a
 * {@link io.github.jamesmtasts.tlsrpt.sending.ReportUploader}), retrying failed destinations for 24 hours
 * ({@link io.github.jamesmtasts.tlsrpt.sending.ExponentialBackoff}). Start at
 * {@link io.github.jamesmtasts.tlsrpt.sending.TlsReporting}.
 */
package io.github.jamesmtasts.tlsrpt.sending;

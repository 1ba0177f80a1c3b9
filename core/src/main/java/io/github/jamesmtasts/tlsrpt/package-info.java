/**
 * SMTP TLS Reporting (RFC 8460): daily reports, to the domains James sends to, of how TLS went. This package is
 * the record a domain publishes to ask for them ({@code _smtp._tls}, §3:
 * {@link io.github.jamesmtasts.tlsrpt.TlsRptRecord} with its {@code rua}
 * {@link io.github.jamesmtasts.tlsrpt.ReportUri}s, looked up by the {@link io.github.jamesmtasts.tlsrpt.TlsRptResolver}).
 * Counting sessions is {@code tlsrpt.counting}'s, making and sending reports {@code tlsrpt.sending}'s; reading, keeping
 * and adding up the reports other senders send to the domains hosted here is {@code tlsrpt.receiving}'s.
 *
 * <p>One mail's way: delivery records each session's result; the aggregator counts it into its day; when the day
 * has ended, the scheduler looks up the domain's record, makes the report and sends it to every destination.
 * Report mails this server made are never reported on themselves (§5.3.1). Nothing here knows James: the
 * {@code james} package supplies the mailer.
 */
package io.github.jamesmtasts.tlsrpt;

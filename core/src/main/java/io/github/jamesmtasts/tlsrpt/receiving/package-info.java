/**
 * Receiving TLS-RPT reports (RFC 8460 §4, §5): other mail senders tell the domains James hosts how TLS went when
 * they delivered to them, and this package reads those reports, keeps them and sums them up for an admin.
 *
 * <p>One report's way: the transport (an HTTPS POST, RFC 8460 §5.4, or a mail whose report part was already taken
 * out, §5.3) hands its bytes and media type to the {@link io.github.jamesmtasts.tlsrpt.receiving.ReportIntake}.
 * The {@link io.github.jamesmtasts.tlsrpt.receiving.ReportReader} checks the media type and size, inflates gzip
 * within a limit and reads the JSON into a typed
 * {@link io.github.jamesmtasts.tlsrpt.receiving.ReceivedReport}, or says why not (a
 * {@link io.github.jamesmtasts.tlsrpt.receiving.Rejection} with its
 * {@link io.github.jamesmtasts.tlsrpt.receiving.Reason}). The intake then makes sure every policy domain of the
 * report is hosted here, and the {@link io.github.jamesmtasts.tlsrpt.receiving.ReceivedReportStore} keeps it once
 * per report-id. {@link io.github.jamesmtasts.tlsrpt.receiving.ReportSummary} adds up a domain's reports per day
 * and sending organization.
 *
 * <p>Nothing here knows James or MIME: the transport gives bytes and a media type.
 */
package io.github.jamesmtasts.tlsrpt.receiving;

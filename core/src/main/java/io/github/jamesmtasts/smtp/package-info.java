/**
 * The SMTP client that carries outbound mail to MX hosts (RFC 5321), with STARTTLS (RFC 3207) under
 * one of two stances.
 *
 * <p>A session connects to one address of one MX host on port 25, reads the greeting, says
 * {@code EHLO}, starts TLS, says {@code EHLO} again, and sends {@code MAIL}, {@code RCPT} and
 * {@code DATA}, pipelined when the server allows (RFC 2920). The message is streamed, dot-stuffed on
 * the way (RFC 5321 §4.5.2), never copied whole into memory. Every step has its own timeout (RFC
 * 5321 §4.5.3.2). Connections are reused for further messages to the same MX.
 *
 * <p>The opportunistic stance is what mail without a policy gets: TLS when offered, any
 * certificate, plaintext otherwise. The verified stance is what an MTA-STS policy demands (RFC 8461
 * §4.2): STARTTLS must be offered, TLS 1.2 or later, a certificate chain to a trusted root, valid
 * for the MX host name; any failure ends the attempt, never falling back to plaintext.
 *
 * <p>Every attempt ends in a {@link io.github.jamesmtasts.smtp.SessionOutcome}: per-recipient fates
 * when the transaction got that far, or a temporary, permanent, network or TLS failure, the latter
 * named by its RFC 8460 result type. Start at {@link io.github.jamesmtasts.smtp.NettySmtpSender}.
 */
package io.github.jamesmtasts.smtp;

package io.github.jamesmtasts.smtp;

/**
 * The steps of a session with an MX, in the order RFC 5321 §3 and RFC 3207 run them. An outcome
 * names the step it ended at, so delivery can tell a refusal of the connection (try the next MX,
 * RFC 5321 §5.1) from a refusal of the message.
 */
public enum SmtpStep {
    /** Opening the TCP connection. */
    CONNECT,
    /** Waiting for the 220 greeting (RFC 5321 §3.1). */
    GREETING,
    /** {@code EHLO}, before and after STARTTLS (RFC 5321 §4.1.1.1), or {@code HELO} when EHLO is refused. */
    EHLO,
    /** The {@code STARTTLS} command (RFC 3207 §4). */
    STARTTLS,
    /** The TLS handshake after {@code 220} to STARTTLS. */
    TLS_HANDSHAKE,
    /** {@code RSET} before a reused connection carries its next message. */
    RSET,
    /** {@code MAIL FROM} (RFC 5321 §4.1.1.2). */
    MAIL,
    /** {@code RCPT TO} (RFC 5321 §4.1.1.3). */
    RCPT,
    /** {@code DATA} and its 354 reply (RFC 5321 §4.1.1.4). */
    DATA,
    /** Sending the message content after the 354 reply. */
    MESSAGE,
    /**
     * The final dot, or the whole {@code BDAT ... LAST} chunk (RFC 3030), has been (or is being) sent; waiting for
     * its reply. A failure here leaves it unknown whether the MX took the message (RFC 5321 §6.1).
     */
    DATA_END,
    /** {@code QUIT}. */
    QUIT
}

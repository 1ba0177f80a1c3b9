package io.github.jamesmtasts.smtp;

import javax.net.ssl.SSLException;

/**
 * The server (or someone in the path) sent more after its 220 reply to {@code STARTTLS}: octets
 * that would otherwise be taken for TLS-protected replies (RFC 3207 §6). The TLS session cannot be
 * trusted, so this counts as a failed negotiation.
 */
final class StartTlsInjectionException extends SSLException {
    private static final long serialVersionUID = 1L;

    StartTlsInjectionException(int octets) {
        super((octets < 0 ? "data" : octets + " octets") + " received in plaintext after the 220 reply to STARTTLS");
    }
}

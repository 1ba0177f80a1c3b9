package io.github.jamesmtasts.smtp;

/** How much TLS a session to an MX demands. */
public enum TlsStance {
    /**
     * STARTTLS when offered, any certificate accepted; plaintext when it is not offered
     * (RFC 3207, as a normal MTA does without a policy).
     */
    OPPORTUNISTIC,
    /**
     * RFC 8461 §4.2 (and RFC 8689 REQUIRETLS): STARTTLS must be offered and succeed with TLS 1.2 or later,
     * the chain must validate (PKIX) and the certificate must be valid for the MX host name. Never plaintext.
     */
    VERIFIED
}

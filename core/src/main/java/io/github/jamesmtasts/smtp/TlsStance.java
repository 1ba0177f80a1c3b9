package io.github.jamesmtasts.smtp;

/** How much TLS a session to an MX demands, and how its certificate is authenticated. */
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
    VERIFIED,
    /**
     * RFC 7672 §2.2: the MX host has secure TLSA records, none of them usable. STARTTLS must succeed, but the
     * certificate is not authenticated. Never plaintext.
     */
    ENCRYPTED,
    /**
     * RFC 7672 §3: STARTTLS must succeed and the certificate must match one of the MX target's usable TLSA records
     * ({@link MxTarget#tlsa()}); SNI is the TLSA base domain. Never plaintext.
     */
    DANE;

    /** Whether the session must run over TLS: every stance but {@link #OPPORTUNISTIC}. */
    public boolean mandatory() {
        return this != OPPORTUNISTIC;
    }
}

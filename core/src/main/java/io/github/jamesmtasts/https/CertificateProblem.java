package io.github.jamesmtasts.https;

/**
 * Why a server certificate was not accepted, in the terms TLS-RPT uses for certificate failures
 * (RFC 8460 §4.3.1).
 */
public enum CertificateProblem {
    /** The certificate is outside its validity period. */
    EXPIRED,
    /** The certificate chains to a trusted root but does not name the host (RFC 6125). */
    HOST_MISMATCH,
    /** The certificate does not chain to a trusted root (self-signed, unknown CA, broken chain). */
    NOT_TRUSTED
}

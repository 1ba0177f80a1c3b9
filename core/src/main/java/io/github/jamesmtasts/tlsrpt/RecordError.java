package io.github.jamesmtasts.tlsrpt;

/** Why a {@code _smtp._tls} TXT record is not a usable TLS-RPT record (RFC 8460 §3). */
public enum RecordError {
    /** The record does not start with {@code v=TLSRPTv1} followed by a field delimiter. */
    NOT_VERSION_1,
    /** A field is empty, has no {@code =}, or stray characters stand where a delimiter belongs. */
    MALFORMED_FIELD,
    /** No {@code rua} field: the field is required. */
    MISSING_RUA,
    /** A {@code rua} list holds an empty or syntactically invalid URI (RFC 3986). */
    INVALID_URI,
    /** Every {@code rua} URI has a scheme other than {@code mailto} and {@code https}. */
    NO_SUPPORTED_URI,
    /** An extension's name or value breaks {@code tlsrpt-ext-name} or {@code tlsrpt-ext-value}. */
    INVALID_EXTENSION
}

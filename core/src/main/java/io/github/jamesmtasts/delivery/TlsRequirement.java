package io.github.jamesmtasts.delivery;

/** What the message itself asks of TLS (RFC 8689). */
public enum TlsRequirement {
    /** Nothing: the recipient domain's policy decides. */
    DEFAULT,
    /**
     * RFC 8689 §5: the header {@code TLS-Required: No}. The sender asks that TLS policies be ignored;
     * the message goes as if the domain had no policy.
     */
    NOT_REQUIRED,
    /**
     * RFC 8689 §4: the message was received with {@code REQUIRETLS}. It may only go to an MX host that an
     * MTA-STS policy in {@code enforce} mode validates, over verified TLS, to a server that offers
     * REQUIRETLS; otherwise it is returned (5.7.30). A {@code TLS-Required} header is then ignored.
     */
    REQUIRETLS
}

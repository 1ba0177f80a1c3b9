package io.github.jamesmtasts.tls;

import io.github.jamesmtasts.result.Failure;
import io.github.jamesmtasts.result.ResultType;

import java.security.cert.CertificateException;
import java.util.Objects;

/**
 * A server certificate refused by {@link CertificateVerifier}, already named by its RFC 8460 result
 * type. The JDK wraps it in the {@code SSLHandshakeException} that ends the handshake, where
 * {@link TlsFailureClassifier} finds it again.
 */
public final class RejectedCertificateException extends CertificateException {
    private static final long serialVersionUID = 1L;

    private final transient ResultType resultType;
    private final String reasonCode;

    public RejectedCertificateException(ResultType resultType, String detail, Throwable cause) {
        this(resultType, detail, null, cause);
    }

    /** A refusal with an RFC 8460 §4.4 {@code failure-reason-code} besides its result type. */
    public RejectedCertificateException(ResultType resultType, String detail, String reasonCode, Throwable cause) {
        super(detail, cause);
        this.resultType = Objects.requireNonNull(resultType, "resultType");
        this.reasonCode = reasonCode;
    }

    public ResultType resultType() {
        return resultType;
    }

    /** The refusal as a classified failure. */
    public Failure failure() {
        return reasonCode == null ? Failure.of(resultType, getMessage()) : Failure.of(resultType, getMessage(), reasonCode);
    }
}

package io.github.jamesmtasts.tls;

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

    public RejectedCertificateException(ResultType resultType, String detail, Throwable cause) {
        super(detail, cause);
        this.resultType = Objects.requireNonNull(resultType, "resultType");
    }

    public ResultType resultType() {
        return resultType;
    }
}

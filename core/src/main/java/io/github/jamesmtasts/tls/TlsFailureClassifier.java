package io.github.jamesmtasts.tls;

import io.github.jamesmtasts.result.Failure;
import io.github.jamesmtasts.result.ResultType;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.PKIXReason;

/**
 * Names a TLS failure by its RFC 8460 §4.3.1 result type.
 *
 * <ul>
 *   <li>{@code starttls-not-supported}: the MX did not offer STARTTLS, or refused it (said by the
 *       session, see {@link #starttlsNotSupported(String)}).</li>
 *   <li>{@code certificate-expired}: PKIX validation failed because a certificate of the chain is past
 *       its {@code notAfter}.</li>
 *   <li>{@code certificate-not-trusted}: no chain to a trusted root could be built (self-signed,
 *       unknown CA).</li>
 *   <li>{@code certificate-host-mismatch}: the chain is trusted but the certificate is not valid for
 *       the MX host name (decided by {@link CertificateVerifier}).</li>
 *   <li>{@code validation-failure}: everything else, for example a certificate not yet valid, a
 *       revoked one, a bad signature, no common protocol version (below TLS 1.2) or cipher, or an
 *       alert from the server.</li>
 * </ul>
 */
public final class TlsFailureClassifier {
    private TlsFailureClassifier() {
    }

    /** The result type of a failed PKIX validation by the JDK's trust manager. */
    public static ResultType classifyPathFailure(Throwable pkixFailure) {
        for (Throwable cause = pkixFailure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateExpiredException) {
                return ResultType.CERTIFICATE_EXPIRED;
            }
            if (cause instanceof CertPathValidatorException) {
                CertPathValidatorException.Reason reason = ((CertPathValidatorException) cause).getReason();
                if (reason == CertPathValidatorException.BasicReason.EXPIRED) {
                    return ResultType.CERTIFICATE_EXPIRED;
                }
                if (reason == PKIXReason.NO_TRUST_ANCHOR) {
                    return ResultType.CERTIFICATE_NOT_TRUSTED;
                }
            }
            // The JDK's PKIX builder fails this way when no path leads to a trust anchor.
            if (cause instanceof CertPathBuilderException) {
                return ResultType.CERTIFICATE_NOT_TRUSTED;
            }
        }
        return ResultType.VALIDATION_FAILURE;
    }

    /** The classification of a failed TLS handshake (usually an {@code SSLHandshakeException}). */
    public static Failure classifyHandshakeFailure(Throwable handshakeFailure) {
        for (Throwable cause = handshakeFailure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RejectedCertificateException) {
                return ((RejectedCertificateException) cause).failure();
            }
        }
        return Failure.of(ResultType.VALIDATION_FAILURE, "TLS handshake failed: " + describe(handshakeFailure));
    }

    /** RFC 8460 §4.3.1: the MX did not offer STARTTLS or did not accept it. */
    public static Failure starttlsNotSupported(String detail) {
        return Failure.of(ResultType.STARTTLS_NOT_SUPPORTED, detail);
    }

    private static String describe(Throwable failure) {
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }
}

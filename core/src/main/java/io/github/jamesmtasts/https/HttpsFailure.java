package io.github.jamesmtasts.https;

import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.tls.RejectedCertificateException;
import javax.net.ssl.SSLException;
import java.util.Objects;
import java.util.Optional;

/** Why an HTTPS exchange produced no response: a kind, and a detail for people. */
public final class HttpsFailure {
    /** The step that failed. */
    public enum Kind {
        /** The host name has no address, or DNS gave no answer. */
        DNS,
        /** Every address of the host is in a network that is refused (loopback, private, link-local...). */
        REFUSED_ADDRESS,
        /** No TCP connection could be opened. */
        CONNECT,
        /** The server certificate was not accepted; {@link #certificateFailure()} says why, by its RFC 8460 result type. */
        CERTIFICATE,
        /** The TLS handshake failed for another reason (no common protocol version or cipher...). */
        TLS,
        /** The exchange did not end within its time limit. */
        TIMEOUT,
        /** The response body is longer than allowed. */
        TOO_LARGE,
        /** The server broke HTTP: a malformed response, or the connection or its TLS closed before its end. */
        PROTOCOL
    }

    private final Kind kind;
    private final ResultType certificateFailure;
    private final String detail;

    private HttpsFailure(Kind kind, ResultType certificateFailure, String detail) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.certificateFailure = certificateFailure;
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    public static HttpsFailure of(Kind kind, String detail) {
        if (kind == Kind.CERTIFICATE) {
            throw new IllegalArgumentException("a certificate failure names its problem");
        }
        return new HttpsFailure(kind, null, detail);
    }

    public static HttpsFailure certificate(ResultType failure, String detail) {
        return new HttpsFailure(Kind.CERTIFICATE, Objects.requireNonNull(failure, "failure"), detail);
    }

    /** Names what went wrong on an open connection: a rejected certificate, another TLS failure, or broken HTTP. */
    static HttpsFailure classify(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof RejectedCertificateException) {
                return certificate(((RejectedCertificateException) cause).resultType(), describe(cause));
            }
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException) {
                return of(Kind.TLS, describe(cause));
            }
        }
        return of(Kind.PROTOCOL, describe(error));
    }

    static String describe(Throwable error) {
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }

    public Kind kind() {
        return kind;
    }

    /** Present when the kind is {@link Kind#CERTIFICATE}. */
    public Optional<ResultType> certificateFailure() {
        return Optional.ofNullable(certificateFailure);
    }

    public String detail() {
        return detail;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HttpsFailure)) {
            return false;
        }
        HttpsFailure other = (HttpsFailure) o;
        return kind == other.kind && certificateFailure == other.certificateFailure && detail.equals(other.detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, certificateFailure, detail);
    }

    @Override
    public String toString() {
        return kind + (certificateFailure == null ? "" : " " + certificateFailure.code()) + ": " + detail;
    }
}

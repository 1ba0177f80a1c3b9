package io.github.jamesmtasts.https;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A complete HTTP response: its status code, its {@code Content-Type} (if any), its body, and the server's leaf
 * certificate as the TLS handshake presented it (for expiry checks; the request has already verified it).
 */
public final class HttpsResponse {
    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    private final int status;
    private final String contentType;
    private final byte[] body;
    private final X509Certificate peerCertificate;

    public HttpsResponse(int status, String contentType, byte[] body) {
        this(status, contentType, body, null);
    }

    public HttpsResponse(int status, String contentType, byte[] body, X509Certificate peerCertificate) {
        this.status = status;
        this.contentType = contentType;
        this.body = body.clone();
        this.peerCertificate = peerCertificate;
    }

    public int status() {
        return status;
    }

    /** The {@code Content-Type} header as sent, parameters included. */
    public Optional<String> contentType() {
        return Optional.ofNullable(contentType);
    }

    /**
     * The media type of the body, {@code type/subtype} in lower case without parameters (RFC 9110
     * §8.3.1); empty when the header is missing or malformed.
     */
    public Optional<String> mediaType() {
        return contentType == null ? Optional.empty() : mediaTypeOf(contentType);
    }

    public byte[] body() {
        return body.clone();
    }

    /** The server's leaf certificate; empty when the session had none to show. */
    public Optional<X509Certificate> peerCertificate() {
        return Optional.ofNullable(peerCertificate);
    }

    /** RFC 9110 §8.3.1: {@code type "/" subtype *( OWS ";" OWS parameter )}; type and subtype are tokens. */
    static Optional<String> mediaTypeOf(String contentType) {
        int semicolon = contentType.indexOf(';');
        String essence = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        int slash = essence.indexOf('/');
        if (slash < 0 || !isToken(essence.substring(0, slash)) || !isToken(essence.substring(slash + 1))) {
            return Optional.empty();
        }
        return Optional.of(essence.toLowerCase(Locale.ROOT));
    }

    /** RFC 9110 §5.6.2: {@code token = 1*tchar}. */
    private static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && TOKEN_SYMBOLS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HttpsResponse)) {
            return false;
        }
        HttpsResponse other = (HttpsResponse) o;
        return status == other.status && Objects.equals(contentType, other.contentType) && Arrays.equals(body, other.body)
            && Objects.equals(peerCertificate, other.peerCertificate);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(status, contentType) + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return status + " " + (contentType == null ? "(no content type)" : contentType) + " " + body.length + " bytes";
    }
}

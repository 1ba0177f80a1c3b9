package io.github.jamesmtasts.publishing;

import java.util.Objects;

/** The HTTP answer to a posted report: a status and a short plain-text body. Immutable. */
public final class Reply {
    private static final int OK = 200;
    private static final int BAD_REQUEST = 400;
    private static final int UNSUPPORTED_MEDIA_TYPE = 415;

    private final int status;
    private final String body;

    private Reply(int status, String body) {
        this.status = status;
        this.body = Objects.requireNonNull(body, "body");
    }

    /**
     * @throws IllegalArgumentException if {@code status} is not an HTTP status code (100 to 599)
     */
    public static Reply of(int status, String body) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        return new Reply(status, body);
    }

    /** RFC 8460 §5.4: a 2xx tells the sender the report was received. */
    public static Reply accepted(String body) {
        return of(OK, body);
    }

    /** The report is malformed (not JSON, not gzip, not a TLS-RPT report). */
    public static Reply badRequest(String body) {
        return of(BAD_REQUEST, body);
    }

    /** The report's {@code Content-Type} is not that of RFC 8460 §5.3 ({@code application/tlsrpt+json} or {@code +gzip}). */
    public static Reply unsupportedMediaType(String body) {
        return of(UNSUPPORTED_MEDIA_TYPE, body);
    }

    public int status() {
        return status;
    }

    public String body() {
        return body;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Reply && status == ((Reply) o).status && body.equals(((Reply) o).body);
    }

    @Override
    public int hashCode() {
        return 31 * status + body.hashCode();
    }

    @Override
    public String toString() {
        return status + " " + body;
    }
}

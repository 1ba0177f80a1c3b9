package io.github.jamesmtasts.tlsrpt.receiving;

/** Why a received report was not taken, each with the HTTP status an HTTPS sender gets for it (RFC 8460 §5.4). */
public enum Reason {
    /** Neither {@code application/tlsrpt+json} nor {@code application/tlsrpt+gzip} (RFC 8460 §5.3, §6). */
    UNSUPPORTED_MEDIA_TYPE(415),
    /** Said to be {@code application/tlsrpt+gzip} but not a whole, valid gzip stream (RFC 1952). */
    NOT_GZIP(400),
    /** The body as received is over {@link ReportReader.Limits#maxBodyBytes()}. */
    TOO_LARGE(413),
    /** The inflated JSON would be over {@link ReportReader.Limits#maxJsonBytes()}. */
    DECOMPRESSED_TOO_LARGE(413),
    /**
     * The JSON nests deeper, or holds more values, than any report needs: refused from a stream of tokens, before
     * it is built in memory, where a small gzip of empty objects would take hundreds of megabytes.
     */
    TOO_COMPLEX(413),
    /** Not I-JSON (RFC 8460 §4, RFC 7493): not UTF-8, not JSON, or a name twice in an object. */
    INVALID_JSON(400),
    /** JSON, but not of the form of RFC 8460 §4.4: a required field missing or a field of the wrong type. */
    SCHEMA_VIOLATION(400),
    /** A policy domain of the report is not one this server hosts. */
    UNKNOWN_DOMAIN(400),
    /** The report-id was received before (RFC 8460 §4.4): not kept twice, yet a success for the sender. */
    DUPLICATE(200),
    /** The store holds as many reports or bytes as it may: the sender should try again later. */
    STORE_FULL(503),
    /** The store could not write the report (an I/O error): the sender should try again later. */
    STORE_ERROR(503);

    private final int httpStatus;

    Reason(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}

package io.github.jamesmtasts.tlsrpt.receiving;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * Reads a received report from its bytes and media type, within {@link Limits}: the media type must be one of
 * RFC 8460 §6, a gzip body is inflated as a stream and stopped at the limit (a gzip bomb costs no more than the
 * limit), and the JSON is read into a {@link ReceivedReport}. It never throws on what a sender sends: every
 * refusal is a {@link Rejection}.
 *
 * <p>RFC 8460 §5.3 names {@code application/tlsrpt+gzip} for a compressed report and {@code application/tlsrpt+json}
 * for a plain one. A body labelled JSON that starts with the gzip magic bytes is inflated all the same: no JSON
 * text can start with byte 0x1f (RFC 8259 §2), so reading it as gzip cannot misread a JSON report, and it spares
 * a report from a sender that labels its compressed reports loosely.
 */
public final class ReportReader {
    static final String JSON_MEDIA_TYPE = "application/tlsrpt+json";
    static final String GZIP_MEDIA_TYPE = "application/tlsrpt+gzip";
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    /** How large a body and its JSON may be. */
    public static final class Limits {
        /** 1 MiB: a day's report of a large sender is a few KiB compressed. */
        public static final long DEFAULT_MAX_BODY_BYTES = 1L << 20;
        /** 10 MiB of JSON once inflated. */
        public static final long DEFAULT_MAX_JSON_BYTES = 10L << 20;
        public static final Limits DEFAULT = new Limits(DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_JSON_BYTES);

        private final long maxBodyBytes;
        private final long maxJsonBytes;

        private Limits(long maxBodyBytes, long maxJsonBytes) {
            if (maxBodyBytes <= 0 || maxJsonBytes <= 0 || maxJsonBytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("limits must be positive and fit an array: " + maxBodyBytes + ", " + maxJsonBytes);
            }
            this.maxBodyBytes = maxBodyBytes;
            this.maxJsonBytes = maxJsonBytes;
        }

        public static Limits of(long maxBodyBytes, long maxJsonBytes) {
            return new Limits(maxBodyBytes, maxJsonBytes);
        }

        /** The most bytes a body may have as received, compressed or not. */
        public long maxBodyBytes() {
            return maxBodyBytes;
        }

        /** The most bytes of JSON a body may inflate to. */
        public long maxJsonBytes() {
            return maxJsonBytes;
        }

        @Override
        public String toString() {
            return "body " + maxBodyBytes + " B, JSON " + maxJsonBytes + " B";
        }
    }

    private final Limits limits;

    public ReportReader(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public ReportReader() {
        this(Limits.DEFAULT);
    }

    public Limits limits() {
        return limits;
    }

    /**
     * @param mediaType the body's media type, parameters allowed ({@code charset=utf-8}); null when none was given
     */
    public ReadResult read(String mediaType, byte[] body) {
        Objects.requireNonNull(body, "body");
        String type = essence(mediaType);
        boolean gzipType = GZIP_MEDIA_TYPE.equals(type);
        // RFC 8460 §5.3, §6: a report is application/tlsrpt+json, or application/tlsrpt+gzip compressed.
        if (!gzipType && !JSON_MEDIA_TYPE.equals(type)) {
            return ReadResult.rejected(Rejection.of(Reason.UNSUPPORTED_MEDIA_TYPE,
                mediaType == null ? "no media type" : "media type " + mediaType));
        }
        if (body.length > limits.maxBodyBytes) {
            return ReadResult.rejected(Rejection.of(Reason.TOO_LARGE, body.length + " bytes, over " + limits.maxBodyBytes));
        }
        boolean gzipBody = body.length >= 2 && (body[0] & 0xff) == GZIP_MAGIC_1 && (body[1] & 0xff) == GZIP_MAGIC_2;
        // RFC 8460 §5.3: +gzip is a gzip stream (RFC 1952: it starts 1f 8b); +json may be one too (see above).
        if (gzipType && !gzipBody) {
            return ReadResult.rejected(Rejection.of(Reason.NOT_GZIP, "no gzip magic bytes"));
        }
        if (!gzipBody) {
            return body.length > limits.maxJsonBytes
                ? ReadResult.rejected(Rejection.of(Reason.DECOMPRESSED_TOO_LARGE, body.length + " bytes of JSON, over " + limits.maxJsonBytes))
                : ReportParser.parse(body);
        }
        return inflate(body);
    }

    /** RFC 2045 §5.1: type and subtype are case-insensitive; the parameters say nothing that matters here. */
    private static String essence(String mediaType) {
        if (mediaType == null) {
            return "";
        }
        int parameters = mediaType.indexOf(';');
        return (parameters < 0 ? mediaType : mediaType.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
    }

    private ReadResult inflate(byte[] body) {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body), buffer.length)) {
            int read;
            while ((read = in.read(buffer)) != -1) {
                // Checked before keeping each piece, so a bomb stops one buffer past the limit.
                if (json.size() + (long) read > limits.maxJsonBytes) {
                    return ReadResult.rejected(Rejection.of(Reason.DECOMPRESSED_TOO_LARGE,
                        "inflates to over " + limits.maxJsonBytes + " bytes"));
                }
                json.write(buffer, 0, read);
            }
        } catch (IOException e) {
            return ReadResult.rejected(Rejection.of(Reason.NOT_GZIP, "damaged gzip stream: " + e.getMessage()));
        }
        return ReportParser.parse(json.toByteArray());
    }

    @Override
    public String toString() {
        return "ReportReader " + limits;
    }
}

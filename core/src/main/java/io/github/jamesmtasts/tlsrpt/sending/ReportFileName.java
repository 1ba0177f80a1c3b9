package io.github.jamesmtasts.tlsrpt.sending;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * The file name of a gzip-compressed report (RFC 8460 §5.1):
 * {@code sender "!" policy-domain "!" begin-timestamp "!" end-timestamp "!" unique-id ".json.gz"},
 * the timestamps in seconds since the epoch.
 */
public final class ReportFileName {
    // RFC 8460 §5.1: unique-id = 1*(ALPHA / DIGIT)
    private static final Pattern UNIQUE_ID = Pattern.compile("[A-Za-z0-9]+");
    /** RFC 8460 §5.1: "json.gz" for a JSON file compressed with GZIP. */
    private static final String GZIP_EXTENSION = ".json.gz";

    private ReportFileName() {
    }

    /**
     * @param sender    the domain of the report's {@code contact-info} (RFC 8460 §5.1)
     * @param begin     the first second the report covers
     * @param end       the last second the report covers
     * @param uniqueId  letters and digits that tell this report from others of the same domain and range
     */
    public static String of(String sender, String policyDomain, Instant begin, Instant end, String uniqueId) {
        if (!UNIQUE_ID.matcher(uniqueId).matches()) {
            throw new IllegalArgumentException("unique-id must be letters and digits: " + uniqueId);
        }
        return sender + "!" + policyDomain + "!" + begin.getEpochSecond() + "!" + end.getEpochSecond() + "!" + uniqueId
            + GZIP_EXTENSION;
    }
}

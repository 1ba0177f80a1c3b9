package io.github.jamesmtasts.delivery;

import java.util.Arrays;
import java.util.Optional;

/**
 * How far this server honours MTA-STS: the mail admin's switch, global or for one domain.
 * It never makes a policy stricter than the recipient domain published it.
 */
public enum EnforcementMode {
    /** Policies apply as published: an {@code enforce} policy withholds mail from MX hosts that fail it. */
    ENFORCE("enforce"),
    /**
     * Policies are looked up and every failure is recorded, but an {@code enforce} policy is applied as
     * {@code testing} (RFC 8461 §5): mail is never withheld. For a gradual roll-out.
     */
    REPORT_ONLY("report-only"),
    /** No policy look-ups, no results: delivery with opportunistic TLS, as a server without MTA-STS. */
    OFF("off");

    private final String keyword;

    EnforcementMode(String keyword) {
        this.keyword = keyword;
    }

    /** The word used in configuration and by the WebAdmin routes. */
    public String keyword() {
        return keyword;
    }

    public static Optional<EnforcementMode> fromKeyword(String keyword) {
        return Arrays.stream(values()).filter(mode -> mode.keyword.equals(keyword)).findFirst();
    }
}

package io.github.jamesmtasts.delivery;

import java.util.Arrays;
import java.util.Optional;

/**
 * How far this server honours DANE (RFC 7672): the mail admin's switch, global or for one domain, beside the
 * MTA-STS {@link EnforcementMode}. It only ever applies where the DNS servers' AD bit is trusted.
 */
public enum DaneMode {
    /** TLSA records of an MX host decide (RFC 7672 §2.2): a host that fails them does not get the mail. */
    ON("on"),
    /** TLSA records are looked up and every failure recorded for TLS-RPT, but the mail goes as without them. */
    REPORT_ONLY("report-only"),
    /** No TLSA look-ups: MTA-STS alone decides. */
    OFF("off");

    private final String keyword;

    DaneMode(String keyword) {
        this.keyword = keyword;
    }

    /** The word used in configuration and by the WebAdmin routes. */
    public String keyword() {
        return keyword;
    }

    public static Optional<DaneMode> fromKeyword(String keyword) {
        return Arrays.stream(values()).filter(mode -> mode.keyword.equals(keyword)).findFirst();
    }
}

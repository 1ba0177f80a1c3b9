package io.github.jamesmtasts.delivery;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * The mail admin's exception for one recipient domain, which replaces the global switches for it until it
 * expires: for MTA-STS {@code enforce} (policies apply as published), {@code testing} (never withhold, record
 * everything) or {@code off} (ignore MTA-STS for the domain, for instance while its policy is broken); for DANE
 * {@code on}, {@code report-only} or {@code off}. Either may be left to the global switch.
 */
public final class DomainOverride {
    private static final String TESTING = "testing";

    private final EnforcementMode mode;
    private final DaneMode dane;
    private final Instant expires;

    private DomainOverride(EnforcementMode mode, DaneMode dane, Instant expires) {
        if (mode == null && dane == null) {
            throw new IllegalArgumentException("an override overrides MTA-STS, DANE or both");
        }
        this.mode = mode;
        this.dane = dane;
        this.expires = expires;
    }

    /** An MTA-STS override in force until {@code expires}, or for good when it is empty. */
    public static DomainOverride of(EnforcementMode mode, Optional<Instant> expires) {
        return new DomainOverride(Objects.requireNonNull(mode, "mode"), null, expires.orElse(null));
    }

    /** An override of MTA-STS, DANE or both (at least one present), until {@code expires} or for good. */
    public static DomainOverride of(Optional<EnforcementMode> mode, Optional<DaneMode> dane, Optional<Instant> expires) {
        return new DomainOverride(mode.orElse(null), dane.orElse(null), expires.orElse(null));
    }

    /** Reads the override keywords {@code enforce}, {@code testing} and {@code off}. */
    public static Optional<EnforcementMode> modeFromKeyword(String keyword) {
        if (TESTING.equals(keyword)) {
            return Optional.of(EnforcementMode.REPORT_ONLY);
        }
        return EnforcementMode.fromKeyword(keyword).filter(mode -> mode != EnforcementMode.REPORT_ONLY);
    }

    /** The MTA-STS mode for the domain, unless the global switch decides. */
    public Optional<EnforcementMode> mode() {
        return Optional.ofNullable(mode);
    }

    /** The DANE mode for the domain, unless the global switch decides. */
    public Optional<DaneMode> dane() {
        return Optional.ofNullable(dane);
    }

    /** The MTA-STS override keyword: {@code enforce}, {@code testing} or {@code off}. */
    public Optional<String> keyword() {
        return mode().map(found -> found == EnforcementMode.REPORT_ONLY ? TESTING : found.keyword());
    }

    public Optional<Instant> expires() {
        return Optional.ofNullable(expires);
    }

    /**
     * This override with its expiry to the millisecond, as every store keeps it (Cassandra's {@code timestamp}), so
     * that the node that set it and the nodes that read it end it at the same instant.
     */
    public DomainOverride toTheMillisecond() {
        return new DomainOverride(mode, dane, expires == null ? null : expires.truncatedTo(ChronoUnit.MILLIS));
    }

    public boolean isActiveAt(Instant now) {
        return expires == null || now.isBefore(expires);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DomainOverride)) {
            return false;
        }
        DomainOverride other = (DomainOverride) o;
        return mode == other.mode && dane == other.dane && Objects.equals(expires, other.expires);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, dane, expires);
    }

    @Override
    public String toString() {
        return keyword().map(keyword -> "mode " + keyword).orElse("")
            + (dane == null ? "" : (mode == null ? "" : ", ") + "dane " + dane.keyword())
            + (expires == null ? "" : " until " + expires);
    }
}

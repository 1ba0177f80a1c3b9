package io.github.jamesmtasts.delivery;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The mail admin's exception for one recipient domain, which replaces the global switch for it until it
 * expires: {@code enforce} (policies apply as published), {@code testing} (never withhold, record
 * everything) or {@code off} (ignore MTA-STS for the domain, for instance while its policy is broken).
 */
public final class DomainOverride {
    private static final String TESTING = "testing";

    private final EnforcementMode mode;
    private final Instant expires;

    private DomainOverride(EnforcementMode mode, Instant expires) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.expires = expires;
    }

    /** An override in force until {@code expires}, or for good when it is empty. */
    public static DomainOverride of(EnforcementMode mode, Optional<Instant> expires) {
        return new DomainOverride(mode, expires.orElse(null));
    }

    /** Reads the override keywords {@code enforce}, {@code testing} and {@code off}. */
    public static Optional<EnforcementMode> modeFromKeyword(String keyword) {
        if (TESTING.equals(keyword)) {
            return Optional.of(EnforcementMode.REPORT_ONLY);
        }
        return EnforcementMode.fromKeyword(keyword).filter(mode -> mode != EnforcementMode.REPORT_ONLY);
    }

    public EnforcementMode mode() {
        return mode;
    }

    /** The override keyword: {@code enforce}, {@code testing} or {@code off}. */
    public String keyword() {
        return mode == EnforcementMode.REPORT_ONLY ? TESTING : mode.keyword();
    }

    public Optional<Instant> expires() {
        return Optional.ofNullable(expires);
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
        return mode == other.mode && Objects.equals(expires, other.expires);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, expires);
    }

    @Override
    public String toString() {
        return keyword() + (expires == null ? "" : " until " + expires);
    }
}

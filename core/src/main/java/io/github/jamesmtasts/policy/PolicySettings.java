package io.github.jamesmtasts.policy;

import io.github.jamesmtasts.settings.Durations;


import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How the policy engine fetches, caches and refreshes policies. Immutable; made with
 * {@link #builder()}, whose methods document each default. How the HTTPS client connects (and what it trusts)
 * is the client's own: {@link io.github.jamesmtasts.https.HttpsSettings}.
 */
public final class PolicySettings {
    private final Duration fetchTimeout;
    private final int maxPolicyBytes;
    private final Duration failedFetchBackoff;
    private final Duration noPolicyCacheTtl;
    private final Duration refreshInterval;
    private final Duration refreshAhead;
    private final Duration refreshSpread;
    private final Duration refreshCheckInterval;
    private final Duration refreshIfUsedWithin;
    private final Path storeDirectory;
    private final Clock clock;

    private PolicySettings(Builder builder) {
        this.fetchTimeout = builder.fetchTimeout;
        this.maxPolicyBytes = builder.maxPolicyBytes;
        this.failedFetchBackoff = builder.failedFetchBackoff;
        this.noPolicyCacheTtl = builder.noPolicyCacheTtl;
        this.refreshInterval = builder.refreshInterval;
        this.refreshAhead = builder.refreshAhead;
        this.refreshSpread = builder.refreshSpread;
        this.refreshCheckInterval = builder.refreshCheckInterval == null ? builder.refreshSpread : builder.refreshCheckInterval;
        this.refreshIfUsedWithin = builder.refreshIfUsedWithin;
        this.storeDirectory = builder.storeDirectory;
        this.clock = builder.clock;
    }

    public static PolicySettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Duration fetchTimeout() {
        return fetchTimeout;
    }

    public int maxPolicyBytes() {
        return maxPolicyBytes;
    }

    public Duration failedFetchBackoff() {
        return failedFetchBackoff;
    }

    public Duration noPolicyCacheTtl() {
        return noPolicyCacheTtl;
    }

    public Duration refreshInterval() {
        return refreshInterval;
    }

    public Duration refreshAhead() {
        return refreshAhead;
    }

    public Duration refreshSpread() {
        return refreshSpread;
    }

    public Duration refreshCheckInterval() {
        return refreshCheckInterval;
    }

    public Duration refreshIfUsedWithin() {
        return refreshIfUsedWithin;
    }

    public Path storeDirectory() {
        return storeDirectory;
    }

    public Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "fetchTimeout=" + fetchTimeout + " maxPolicyBytes=" + maxPolicyBytes
            + " failedFetchBackoff=" + failedFetchBackoff + " noPolicyCacheTtl=" + noPolicyCacheTtl
            + " refreshInterval=" + refreshInterval + " refreshAhead=" + refreshAhead + " refreshSpread=" + refreshSpread + " refreshCheckInterval=" + refreshCheckInterval
            + " refreshIfUsedWithin=" + refreshIfUsedWithin + " storeDirectory=" + storeDirectory;
    }

    /** Builds {@link PolicySettings}. */
    public static final class Builder {
        private Duration fetchTimeout = Duration.ofMinutes(1);
        private int maxPolicyBytes = 64 * 1024;
        private Duration failedFetchBackoff = Duration.ofMinutes(5);
        private Duration noPolicyCacheTtl = Duration.ofMinutes(1);
        private Duration refreshInterval = Duration.ofDays(1);
        private Duration refreshAhead = Duration.ofHours(1);
        private Duration refreshSpread = Duration.ofHours(1);
        private Duration refreshCheckInterval;
        private Duration refreshIfUsedWithin = Duration.ofDays(30);
        private Path storeDirectory = Paths.get("var", "mta-sts", "policies");
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** RFC 8461 §3.3: how long a whole policy fetch may take. Default 1 minute, the RFC's suggestion. */
        public Builder fetchTimeout(Duration timeout) {
            this.fetchTimeout = Durations.positive(timeout, "fetchTimeout");
            return this;
        }

        /** RFC 8461 §3.3: the largest policy body read; a longer one fails the fetch. Default 64 KiB, the RFC's suggestion. */
        public Builder maxPolicyBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxPolicyBytes must be positive");
            }
            this.maxPolicyBytes = bytes;
            return this;
        }

        /** RFC 8461 §3.3: after a failed fetch for an {@code id}, no new fetch for that id during this time. Default 5 minutes. */
        public Builder failedFetchBackoff(Duration backoff) {
            this.failedFetchBackoff = notNegative(backoff, "failedFetchBackoff");
            return this;
        }

        /** How long "this domain has no {@code _mta-sts} record" is remembered. Default 1 minute; zero asks DNS every time. */
        public Builder noPolicyCacheTtl(Duration ttl) {
            this.noPolicyCacheTtl = notNegative(ttl, "noPolicyCacheTtl");
            return this;
        }

        /** RFC 8461 §3.3: a cached policy is fetched again after this time. Default 1 day, the RFC's suggestion. */
        public Builder refreshInterval(Duration interval) {
            this.refreshInterval = Durations.positive(interval, "refreshInterval");
            return this;
        }

        /** A cached policy is also fetched again when it expires within this time (short max_age). Default 1 hour. */
        public Builder refreshAhead(Duration ahead) {
            this.refreshAhead = notNegative(ahead, "refreshAhead");
            return this;
        }

        /**
         * Refreshes due together are spread at random over this time, so that many domains are not
         * fetched at once. Default 1 hour.
         */
        public Builder refreshSpread(Duration spread) {
            this.refreshSpread = Durations.positive(spread, "refreshSpread");
            return this;
        }

        /** How often the engine looks for policies due for a refresh. Default the refresh spread. */
        public Builder refreshCheckInterval(Duration interval) {
            this.refreshCheckInterval = Durations.positive(interval, "refreshCheckInterval");
            return this;
        }

        /** Only policies of domains that had mail within this time are refreshed. Default 30 days. */
        public Builder refreshIfUsedWithin(Duration window) {
            this.refreshIfUsedWithin = Durations.positive(window, "refreshIfUsedWithin");
            return this;
        }

        /** Where cached policies survive a restart. Default {@code var/mta-sts/policies} (James's {@code var/}). */
        public Builder storeDirectory(Path directory) {
            this.storeDirectory = Objects.requireNonNull(directory, "storeDirectory");
            return this;
        }

        /** The clock of cache ages and expiry. Default the system clock (UTC); tests move time on. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public PolicySettings build() {
            return new PolicySettings(this);
        }

        private static Duration notNegative(Duration duration, String name) {
            if (duration.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative");
            }
            return duration;
        }
    }
}

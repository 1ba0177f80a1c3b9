package io.github.jamesmtasts.policy;

import io.github.jamesmtasts.https.HttpsSettings;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the policy engine fetches, caches and refreshes policies. Immutable; made with
 * {@link #builder()}, whose methods document each default.
 */
public final class PolicySettings {
    private final Duration fetchConnectTimeout;
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
    private final boolean allowPrivateAddresses;
    private final Path extraTrustedCaPem;
    private final int policyHostPort;
    private final Clock clock;

    private PolicySettings(Builder builder) {
        this.fetchConnectTimeout = builder.fetchConnectTimeout;
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
        this.allowPrivateAddresses = builder.allowPrivateAddresses;
        this.extraTrustedCaPem = builder.extraTrustedCaPem;
        this.policyHostPort = builder.policyHostPort;
        this.clock = builder.clock;
    }

    public static PolicySettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Duration fetchConnectTimeout() {
        return fetchConnectTimeout;
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

    public boolean allowPrivateAddresses() {
        return allowPrivateAddresses;
    }

    public Optional<Path> extraTrustedCaPem() {
        return Optional.ofNullable(extraTrustedCaPem);
    }

    public int policyHostPort() {
        return policyHostPort;
    }

    public Clock clock() {
        return clock;
    }

    /** The settings of the HTTPS client that fetches policies. */
    public HttpsSettings httpsSettings() {
        HttpsSettings.Builder https = HttpsSettings.builder()
            .connectTimeout(fetchConnectTimeout)
            .allowPrivateAddresses(allowPrivateAddresses)
            .defaultPort(policyHostPort);
        extraTrustedCaPem().ifPresent(https::extraTrustedCaPem);
        return https.build();
    }

    @Override
    public String toString() {
        return "fetchConnectTimeout=" + fetchConnectTimeout + " fetchTimeout=" + fetchTimeout + " maxPolicyBytes=" + maxPolicyBytes
            + " failedFetchBackoff=" + failedFetchBackoff + " noPolicyCacheTtl=" + noPolicyCacheTtl
            + " refreshInterval=" + refreshInterval + " refreshAhead=" + refreshAhead + " refreshSpread=" + refreshSpread + " refreshCheckInterval=" + refreshCheckInterval
            + " refreshIfUsedWithin=" + refreshIfUsedWithin + " storeDirectory=" + storeDirectory
            + " allowPrivateAddresses=" + allowPrivateAddresses + " extraTrustedCaPem=" + extraTrustedCaPem
            + " policyHostPort=" + policyHostPort;
    }

    /** Builds {@link PolicySettings}. */
    public static final class Builder {
        private Duration fetchConnectTimeout = Duration.ofSeconds(10);
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
        private boolean allowPrivateAddresses;
        private Path extraTrustedCaPem;
        private int policyHostPort = 443;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** How long opening the connection to a policy host may take. Default 10 seconds. */
        public Builder fetchConnectTimeout(Duration timeout) {
            this.fetchConnectTimeout = positive(timeout, "fetchConnectTimeout");
            return this;
        }

        /** RFC 8461 §3.3: how long a whole policy fetch may take. Default 1 minute, the RFC's suggestion. */
        public Builder fetchTimeout(Duration timeout) {
            this.fetchTimeout = positive(timeout, "fetchTimeout");
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
            this.refreshInterval = positive(interval, "refreshInterval");
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
            this.refreshSpread = positive(spread, "refreshSpread");
            return this;
        }

        /** How often the engine looks for policies due for a refresh. Default the refresh spread. */
        public Builder refreshCheckInterval(Duration interval) {
            this.refreshCheckInterval = positive(interval, "refreshCheckInterval");
            return this;
        }

        /** Only policies of domains that had mail within this time are refreshed. Default 30 days. */
        public Builder refreshIfUsedWithin(Duration window) {
            this.refreshIfUsedWithin = positive(window, "refreshIfUsedWithin");
            return this;
        }

        /** Where cached policies survive a restart. Default {@code var/mta-sts/policies} (James's {@code var/}). */
        public Builder storeDirectory(Path directory) {
            this.storeDirectory = Objects.requireNonNull(directory, "storeDirectory");
            return this;
        }

        /** Whether policy hosts may resolve to loopback, private or link-local addresses. Default false; tests set it. */
        public Builder allowPrivateAddresses(boolean allow) {
            this.allowPrivateAddresses = allow;
            return this;
        }

        /** A PEM file of CAs trusted for policy hosts besides the JVM's roots. Default none. */
        public Builder extraTrustedCaPem(Path pem) {
            this.extraTrustedCaPem = Objects.requireNonNull(pem, "extraTrustedCaPem");
            return this;
        }

        /** The HTTPS port of policy hosts. Default 443, as RFC 8461 §3.3 has it; only tests change it. */
        public Builder policyHostPort(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("not a port: " + port);
            }
            this.policyHostPort = port;
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

        private static Duration positive(Duration duration, String name) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return duration;
        }

        private static Duration notNegative(Duration duration, String name) {
            if (duration.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative");
            }
            return duration;
        }
    }
}

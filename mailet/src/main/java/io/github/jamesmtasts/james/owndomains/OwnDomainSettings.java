package io.github.jamesmtasts.james.owndomains;

import io.github.jamesmtasts.dns.HostNames;
import io.github.jamesmtasts.mtasts.Mode;
import io.github.jamesmtasts.mtasts.MxPattern;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What James does for its own domains, from {@code conf/mta-sts.properties} ({@code serve.*}, {@code received.*},
 * {@code watch.*}): whether and where it serves their MTA-STS policies, the policy of each, whether it reads the
 * TLS-RPT reports others send them, and how it watches them. Immutable.
 */
public final class OwnDomainSettings {
    /** RFC 8461 §3.2 recommends a {@code max_age} of weeks; a week lets a mistake heal in days. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);
    public static final int DEFAULT_PORT = 443;

    private final boolean serve;
    private final String bind;
    private final int port;
    private final Path certificates;
    private final PolicyChoice defaults;
    private final Map<String, PolicyChoice> domains;
    private final boolean receive;
    private final Path receivedDirectory;
    private final String reportLocalPart;
    private final int maxReportBytes;
    private final int maxReportJsonBytes;
    private final int maxReports;
    private final boolean watch;
    private final Duration watchInterval;
    private final Optional<String> alertsTo;

    private OwnDomainSettings(Builder builder) {
        this.serve = builder.serve;
        this.bind = builder.bind;
        this.port = builder.port;
        this.certificates = builder.home.resolve(builder.certificates);
        this.defaults = builder.defaults;
        this.domains = Map.copyOf(builder.domains);
        this.receive = builder.receive;
        this.receivedDirectory = builder.home.resolve(builder.receivedDirectory);
        this.reportLocalPart = builder.reportLocalPart;
        this.maxReportBytes = builder.maxReportBytes;
        this.maxReportJsonBytes = builder.maxReportJsonBytes;
        this.maxReports = builder.maxReports;
        this.watch = builder.watch;
        this.watchInterval = builder.watchInterval;
        this.alertsTo = builder.alertsTo;
    }

    /** @param home the James home, against which relative directories resolve */
    public static Builder builder(Path home) {
        return new Builder(home);
    }

    public boolean serve() {
        return serve;
    }

    public String bind() {
        return bind;
    }

    public int port() {
        return port;
    }

    public Path certificates() {
        return certificates;
    }

    /** The mode served for {@code domain}: its own, else the default, else {@code testing}. */
    public Mode mode(String domain) {
        return choice(domain).mode.or(() -> defaults.mode).orElse(Mode.TESTING);
    }

    /** The {@code mx} patterns served for {@code domain}, or empty for the domain's MX records. */
    public Optional<List<MxPattern>> mx(String domain) {
        return choice(domain).mx.or(() -> defaults.mx);
    }

    public Duration maxAge(String domain) {
        return choice(domain).maxAge.or(() -> defaults.maxAge).orElse(DEFAULT_MAX_AGE);
    }

    public boolean receive() {
        return receive;
    }

    public Path receivedDirectory() {
        return receivedDirectory;
    }

    /** The local part of the mail {@code rua} at every James domain ({@code tlsrpt@<domain>}). */
    public String reportLocalPart() {
        return reportLocalPart;
    }

    public int maxReportBytes() {
        return maxReportBytes;
    }

    public int maxReportJsonBytes() {
        return maxReportJsonBytes;
    }

    public int maxReports() {
        return maxReports;
    }

    public boolean watch() {
        return watch;
    }

    public Duration watchInterval() {
        return watchInterval;
    }

    /** Who gets the watch's alerts; empty for James's postmaster. */
    public Optional<String> alertsTo() {
        return alertsTo;
    }

    private PolicyChoice choice(String domain) {
        return domains.getOrDefault(HostNames.normalize(domain), PolicyChoice.NONE);
    }

    @Override
    public String toString() {
        return "serve=" + serve + (serve ? " on " + bind + ":" + port + " certificates=" + certificates : "")
            + " policy=" + defaults + (domains.isEmpty() ? "" : " per domain " + domains)
            + " received=" + receive + (receive ? " in " + receivedDirectory + " at " + reportLocalPart + "@<domain>" : "")
            + " watch=" + (watch ? "every " + watchInterval + alertsTo.map(to -> " alerts to " + to).orElse(" alerts to the postmaster") : "off");
    }

    /** A policy's fields as configured: each empty when the configuration leaves it to the default. */
    public static final class PolicyChoice {
        static final PolicyChoice NONE = new PolicyChoice(Optional.empty(), Optional.empty(), Optional.empty());

        private final Optional<Mode> mode;
        private final Optional<List<MxPattern>> mx;
        private final Optional<Duration> maxAge;

        public PolicyChoice(Optional<Mode> mode, Optional<List<MxPattern>> mx, Optional<Duration> maxAge) {
            this.mode = Objects.requireNonNull(mode, "mode");
            this.mx = mx.map(List::copyOf);
            this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        }

        @Override
        public String toString() {
            return "{mode " + mode.map(Mode::keyword).orElse("default") + ", mx " + mx.map(Object::toString).orElse("from DNS")
                + ", max_age " + maxAge.map(Object::toString).orElse("default") + "}";
        }
    }

    /** Every field has the default the README lists. */
    public static final class Builder {
        private final Path home;
        private boolean serve;
        private String bind = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private String certificates = "conf/mta-sts-certificates";
        private PolicyChoice defaults = PolicyChoice.NONE;
        private final Map<String, PolicyChoice> domains = new LinkedHashMap<>();
        private boolean receive = true;
        private String receivedDirectory = "var/mta-sts/received";
        private String reportLocalPart = "tlsrpt";
        private int maxReportBytes = 1 << 20;
        private int maxReportJsonBytes = 10 << 20;
        private int maxReports = 100_000;
        private boolean watch = true;
        private Duration watchInterval = Duration.ofDays(1);
        private Optional<String> alertsTo = Optional.empty();

        private Builder(Path home) {
            this.home = Objects.requireNonNull(home, "home");
        }

        public Builder serve(boolean serve) {
            this.serve = serve;
            return this;
        }

        public Builder bind(String bind) {
            this.bind = bind;
            return this;
        }

        public Builder port(int port) {
            if (port > 65535) {
                throw new IllegalArgumentException("serve.port is a port number, not " + port);
            }
            this.port = port;
            return this;
        }

        public Builder certificates(String directory) {
            this.certificates = directory;
            return this;
        }

        public Builder policyDefaults(PolicyChoice choice) {
            this.defaults = choice;
            return this;
        }

        public Builder policyOf(String domain, PolicyChoice choice) {
            domains.put(HostNames.normalize(domain), choice);
            return this;
        }

        public Builder receive(boolean receive) {
            this.receive = receive;
            return this;
        }

        public Builder receivedDirectory(String directory) {
            this.receivedDirectory = directory;
            return this;
        }

        public Builder reportLocalPart(String localPart) {
            this.reportLocalPart = localPart;
            return this;
        }

        public Builder maxReportBytes(int bytes) {
            this.maxReportBytes = bytes;
            return this;
        }

        public Builder maxReportJsonBytes(int bytes) {
            this.maxReportJsonBytes = bytes;
            return this;
        }

        public Builder maxReports(int reports) {
            this.maxReports = reports;
            return this;
        }

        public Builder watch(boolean watch) {
            this.watch = watch;
            return this;
        }

        public Builder watchInterval(Duration interval) {
            if (interval.isZero()) {
                throw new IllegalArgumentException("watch.interval cannot be zero");
            }
            this.watchInterval = interval;
            return this;
        }

        public Builder alertsTo(String address) {
            this.alertsTo = Optional.of(address);
            return this;
        }

        public OwnDomainSettings build() {
            return new OwnDomainSettings(this);
        }
    }
}

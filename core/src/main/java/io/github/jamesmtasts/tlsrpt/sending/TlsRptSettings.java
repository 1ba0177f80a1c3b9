package io.github.jamesmtasts.tlsrpt.sending;

import io.github.jamesmtasts.settings.Durations;

import io.github.jamesmtasts.tlsrpt.counting.ReportPeriod;
import io.github.jamesmtasts.dns.HostNames;

import java.time.Duration;
import java.util.Objects;

/**
 * How this James reports (RFC 8460): who it is, what period a report covers, when and how hard it
 * tries to deliver. Immutable; built with {@link #builder(String)}, every other value has a default.
 */
public final class TlsRptSettings {
    /** RFC 8460 §4.1: a report covers a full UTC day. */
    public static final Duration DEFAULT_PERIOD = Duration.ofDays(1);
    /** RFC 8460 §4.1 asks for a delay of "perhaps several hours" after the period ends. */
    public static final Duration DEFAULT_MAX_SEND_DELAY = Duration.ofHours(4);
    /** RFC 8460 §5.5: redelivery is tried for up to 24 hours after the first attempt. */
    public static final Duration DEFAULT_RETRY_WINDOW = Duration.ofHours(24);
    public static final Duration DEFAULT_FIRST_RETRY_DELAY = Duration.ofMinutes(5);
    public static final Duration DEFAULT_HTTPS_TIMEOUT = Duration.ofSeconds(60);
    /** At most a second of counts is lost when a server is killed; a second is also what other servers wait for them. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);

    private final String submitter;
    private final String contactInfo;
    private final String organizationName;
    private final Duration period;
    private final boolean onlyFailures;
    private final Duration maxSendDelay;
    private final Duration retryWindow;
    private final Duration firstRetryDelay;
    private final Duration httpsTimeout;
    private final Duration flushInterval;

    private TlsRptSettings(Builder builder) {
        this.submitter = builder.submitter;
        this.contactInfo = builder.contactInfo == null ? "tlsrpt-noreply@" + submitter : builder.contactInfo;
        this.organizationName = builder.organizationName == null ? submitter : builder.organizationName;
        this.period = builder.period;
        this.onlyFailures = builder.onlyFailures;
        this.maxSendDelay = builder.maxSendDelay == null ? min(DEFAULT_MAX_SEND_DELAY, period.dividedBy(4)) : builder.maxSendDelay;
        this.retryWindow = builder.retryWindow;
        this.firstRetryDelay = builder.firstRetryDelay;
        this.httpsTimeout = builder.httpsTimeout;
        this.flushInterval = builder.flushInterval;
        int at = contactInfo.lastIndexOf('@');
        // RFC 8460 §5.3: TLS-Report-Submitter MUST match the domain of contact-info.
        if (at < 1 || !HostNames.normalize(contactInfo.substring(at + 1)).equals(submitter)) {
            throw new IllegalArgumentException("contact-info " + contactInfo + " is not an address at the submitter domain " + submitter);
        }
    }

    /** @param submitter the reporting domain (RFC 8460 §5.1 {@code sender}, §5.3 {@code TLS-Report-Submitter}) */
    public static Builder builder(String submitter) {
        return new Builder(submitter);
    }

    /** The reporting domain, A-label, lower case. */
    public String submitter() {
        return submitter;
    }

    /** RFC 8460 §4.4 {@code contact-info}; default {@code tlsrpt-noreply@<submitter>}. Also the reports' sender. */
    public String contactInfo() {
        return contactInfo;
    }

    /** RFC 8460 §4.4 {@code organization-name}; default the submitter domain. */
    public String organizationName() {
        return organizationName;
    }

    /** What one report covers; default one day. Periods are aligned to the epoch, so a day is a UTC day. */
    public Duration period() {
        return period;
    }

    /** Whether a domain gets a report only for periods with failures; default false (every period with sessions). */
    public boolean onlyFailures() {
        return onlyFailures;
    }

    /**
     * The longest random wait after a period ends before its reports go out, so that senders do not all
     * report at midnight (RFC 8460 §4.1); default 4 hours, or a quarter of the period when that is shorter.
     */
    public Duration maxSendDelay() {
        return maxSendDelay;
    }

    /** How long after the first attempt a destination is retried (RFC 8460 §5.5); default 24 hours. */
    public Duration retryWindow() {
        return retryWindow;
    }

    /**
     * How long a node's claim of a report holds against the other nodes of a cluster: longer than a report can be under
     * way (its TLS-RPT record asked again over one retry window, then its destinations tried over another, §5.5), and
     * an hour more. A node that stopped for good with a claimed report unsent leaves it to another after that.
     */
    public Duration claimLease() {
        return retryWindow.multipliedBy(2).plusHours(1);
    }

    /** The wait before the first retry; each further wait doubles (RFC 8460 §5.5). Default 5 minutes. */
    public Duration firstRetryDelay() {
        return firstRetryDelay;
    }

    /** Time allowed for one HTTPS POST of a report (RFC 8460 §5.4); default 60 seconds. */
    public Duration httpsTimeout() {
        return httpsTimeout;
    }

    /**
     * How often counts are written to the store when sessions were counted since the last write; default 1 second.
     * Stopping James writes them too.
     */
    public Duration flushInterval() {
        return flushInterval;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public String toString() {
        return "TLS-RPT submitter=" + submitter + " contact-info=" + contactInfo + " period=" + period
            + " onlyFailures=" + onlyFailures;
    }

    /** Builds {@link TlsRptSettings}. */
    public static final class Builder {
        private final String submitter;
        private String contactInfo;
        private String organizationName;
        private Duration period = DEFAULT_PERIOD;
        private boolean onlyFailures;
        private Duration maxSendDelay;
        private Duration retryWindow = DEFAULT_RETRY_WINDOW;
        private Duration firstRetryDelay = DEFAULT_FIRST_RETRY_DELAY;
        private Duration httpsTimeout = DEFAULT_HTTPS_TIMEOUT;
        private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;

        private Builder(String submitter) {
            this.submitter = HostNames.toAscii(Objects.requireNonNull(submitter, "submitter"));
        }

        public Builder contactInfo(String contactInfo) {
            this.contactInfo = Objects.requireNonNull(contactInfo, "contactInfo");
            return this;
        }

        public Builder organizationName(String organizationName) {
            this.organizationName = Objects.requireNonNull(organizationName, "organizationName");
            return this;
        }

        public Builder period(Duration period) {
            this.period = ReportPeriod.requireValidLength(period);
            return this;
        }

        public Builder onlyFailures(boolean onlyFailures) {
            this.onlyFailures = onlyFailures;
            return this;
        }

        /** Zero sends right when a period ends. */
        public Builder maxSendDelay(Duration maxSendDelay) {
            if (maxSendDelay.isNegative()) {
                throw new IllegalArgumentException("maxSendDelay must not be negative: " + maxSendDelay);
            }
            this.maxSendDelay = maxSendDelay;
            return this;
        }

        public Builder retryWindow(Duration retryWindow) {
            this.retryWindow = Durations.positive(retryWindow, "retryWindow");
            return this;
        }

        public Builder firstRetryDelay(Duration firstRetryDelay) {
            this.firstRetryDelay = Durations.positive(firstRetryDelay, "firstRetryDelay");
            return this;
        }

        public Builder httpsTimeout(Duration httpsTimeout) {
            this.httpsTimeout = Durations.positive(httpsTimeout, "httpsTimeout");
            return this;
        }

        public Builder flushInterval(Duration flushInterval) {
            this.flushInterval = Durations.positive(flushInterval, "flushInterval");
            return this;
        }

        public TlsRptSettings build() {
            return new TlsRptSettings(this);
        }
    }
}

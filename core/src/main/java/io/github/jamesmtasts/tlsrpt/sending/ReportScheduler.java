package io.github.jamesmtasts.tlsrpt.sending;

import io.github.jamesmtasts.tlsrpt.ReportUri;
import io.github.jamesmtasts.tlsrpt.TlsRptDiscovery;
import io.github.jamesmtasts.tlsrpt.TlsRptResolver;
import io.github.jamesmtasts.tlsrpt.counting.PeriodCounts;
import io.github.jamesmtasts.tlsrpt.counting.PolicyCounts;
import io.github.jamesmtasts.tlsrpt.counting.ReportPeriod;
import io.github.jamesmtasts.tlsrpt.counting.ResultAggregator;
import io.github.jamesmtasts.tlsrpt.counting.ResultStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Makes and sends the reports (RFC 8460 §4, §5). At the end of each period, after a random delay of up
 * to {@link TlsRptSettings#maxSendDelay()} (§4.1), it closes the period in the {@link ResultAggregator}
 * and, for every policy domain counted in it, looks up the domain's TLS-RPT record (§3):
 * <ul>
 *   <li>none, several, or an invalid one: the counts are dropped, no report;</li>
 *   <li>no DNS answer: the look-up is retried with backoff, the counts kept, for up to the retry window;</li>
 *   <li>a valid record: the report is built and sent to every destination ({@link ReportDelivery}).</li>
 * </ul>
 * A domain's counts leave the store when its report was delivered to one destination or given up on.
 * So a restart in between loses nothing: at start the scheduler reports every ended period still in the
 * store (with a new report id). Counts are also written to the store every
 * {@link TlsRptSettings#flushInterval()} and on {@link #close()}.
 *
 * <p>Several servers may count into one store (a cluster): each closes its counts of a period when the period ends,
 * so what it records later counts in the next one; reports wait at least {@link #settleDelay()} after the end, for
 * every server's last counts to reach the store; and only the server whose {@link ReportClaims claim} wins looks
 * the domain up and sends its report, built from the counts of all.
 *
 * <p>All work runs on one thread of its own; delivery never waits for it. DNS look-ups and uploads block
 * that thread for at most their time-outs, which a daily batch of reports can afford.
 */
public final class ReportScheduler implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(ReportScheduler.class);

    private final TlsRptSettings settings;
    private final ResultAggregator aggregator;
    private final ResultStore store;
    private final ReportClaims claims;
    private final TlsRptResolver lookup;
    private final ReportMailer mailer;
    private final ReportUploader uploader;
    private final TaskScheduler timer;
    private final Random random;
    private final ExponentialBackoff backoff;
    private final Set<Key> underway = new HashSet<>();
    private volatile boolean running;

    ReportScheduler(TlsRptSettings settings, ResultAggregator aggregator, ResultStore store, ReportClaims claims,
                    TlsRptResolver lookup, ReportMailer mailer, ReportUploader uploader, TaskScheduler timer, Random random) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.aggregator = Objects.requireNonNull(aggregator, "aggregator");
        this.store = Objects.requireNonNull(store, "store");
        this.claims = Objects.requireNonNull(claims, "claims");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.mailer = Objects.requireNonNull(mailer, "mailer");
        this.uploader = Objects.requireNonNull(uploader, "uploader");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.random = Objects.requireNonNull(random, "random");
        this.backoff = new ExponentialBackoff(settings.firstRetryDelay(), settings.retryWindow());
    }

    /** A scheduler on a daemon thread of its own, on the system clock. Call {@link #start()}. */
    public static ReportScheduler create(TlsRptSettings settings, ResultAggregator aggregator, ResultStore store,
                                         ReportClaims claims, TlsRptResolver lookup, ReportMailer mailer, ReportUploader uploader) {
        return new ReportScheduler(settings, aggregator, store, claims, lookup, mailer, uploader,
            new ExecutorTaskScheduler(Clock.systemUTC(), "tlsrpt-reports"), new SecureRandom());
    }

    /** Starts flushing counts and closing periods; reports what a previous run left in the store. */
    public void start() {
        running = true;
        Instant now = timer.now();
        timer.schedule(now, this::reportEndedPeriods);
        timer.schedule(now.plus(settings.flushInterval()), this::flush);
        scheduleClose(now);
    }

    /** Stops scheduling, then writes the counts to the store one last time. */
    @Override
    public void close() throws IOException {
        running = false;
        timer.close();
        aggregator.persist();
    }

    /**
     * The wait after a period's end before its reports are made, however short the random delay: two flush intervals,
     * within which every server of a cluster has written its last counts of the period (clocks kept within a second).
     */
    Duration settleDelay() {
        return settings.flushInterval().multipliedBy(2);
    }

    private void scheduleClose(Instant now) {
        ReportPeriod current = ReportPeriod.containing(now, settings.period());
        timer.schedule(current.end(), () -> closeThrough(current.end()));
        Duration delay = Duration.ofMillis((long) (random.nextDouble() * settings.maxSendDelay().toMillis()));
        timer.schedule(current.end().plus(delay.compareTo(settleDelay()) < 0 ? settleDelay() : delay), this::closePeriods);
    }

    private void closeThrough(Instant end) {
        if (!running) {
            return;
        }
        try {
            aggregator.closeThrough(end);
        } catch (IOException e) {
            LOGGER.warn("TLS-RPT counts not written to {} ({}); trying again in {}, reporting what the store holds",
                store, e.getMessage(), settings.flushInterval());
        }
    }

    private void flush() {
        if (!running) {
            return;
        }
        try {
            aggregator.persist();
        } catch (IOException e) {
            LOGGER.warn("TLS-RPT counts not written to {} ({}); trying again in {}", store, e.getMessage(), settings.flushInterval());
        }
        timer.schedule(timer.now().plus(settings.flushInterval()), this::flush);
    }

    /**
     * Reports the ended periods now, without the random delay that follows a period's end: what an admin
     * asks for. The current period goes on counting and is reported when it ends.
     */
    public void sendNow() {
        timer.schedule(timer.now(), this::reportEnded);
    }

    /** The period just ended, and any before it, are closed and reported. */
    private void closePeriods() {
        if (!running) {
            return;
        }
        reportEnded();
        scheduleClose(timer.now());
    }

    private void reportEnded() {
        if (!running) {
            return;
        }
        closeThrough(ReportPeriod.containing(timer.now(), settings.period()).start());
        reportEndedPeriods();
    }

    private void reportEndedPeriods() {
        if (!running) {
            return;
        }
        Instant openStart = ReportPeriod.containing(timer.now(), settings.period()).start();
        try {
            for (ReportPeriod period : store.periods()) {
                if (period.end().isAfter(openStart)) {
                    continue;
                }
                for (String domain : store.load(period).policyDomains()) {
                    Key key = new Key(period, domain);
                    if (underway.add(key) && claimed(key)) {
                        report(key, timer.now(), 1);
                    }
                }
            }
        } catch (IOException e) {
            LOGGER.error("TLS-RPT store {} unreadable ({}); reports wait for the next period", store, e.getMessage());
        }
    }

    /**
     * Whether this server sends the report. A claim another server holds, or one that could not be made, is tried
     * again at the next period: once the report is sent its counts are gone from the store and nothing is left to
     * claim; while they are still there after the holder's lease, the holder stopped, and this server takes it over.
     */
    private boolean claimed(Key key) {
        try {
            if (claims.claim(key.period, key.domain)) {
                return true;
            }
            LOGGER.info("TLS-RPT report of {} for {} is sent by another server; asking again at the next period",
                key.domain, key.period);
        } catch (IOException e) {
            LOGGER.warn("TLS-RPT report of {} for {} not claimed ({}); trying at the next period", key.domain, key.period, e.getMessage());
        }
        underway.remove(key);
        return false;
    }

    /** RFC 8460 §3: a report goes only to a domain with exactly one valid TLS-RPT record. */
    private void report(Key key, Instant firstLookup, int attempt) {
        TlsRptDiscovery discovery = lookup.lookup(key.domain).join();
        switch (discovery.outcome()) {
            case FOUND:
                send(key, discovery.record().orElseThrow().destinations());
                return;
            case TEMPORARY_FAILURE:
                Optional<Instant> retry = backoff.retryAt(firstLookup, attempt, timer.now());
                if (retry.isPresent()) {
                    LOGGER.info("TLS-RPT record of {} not available ({}); asking again at {}", key.domain, discovery.detail(), retry.get());
                    timer.schedule(retry.get(), () -> report(key, firstLookup, attempt + 1));
                    return;
                }
                LOGGER.warn("TLS-RPT record of {} not available since {} ({}); counts of {} dropped",
                    key.domain, firstLookup, discovery.detail(), key.period);
                forget(key);
                return;
            default:
                LOGGER.info("no TLS-RPT report for {} ({}): {}", key.domain, discovery.outcome(), discovery.detail());
                forget(key);
        }
    }

    private void send(Key key, List<ReportUri> destinations) {
        PeriodCounts counts;
        try {
            counts = store.load(key.period);
        } catch (IOException e) {
            LOGGER.error("TLS-RPT counts of {} for {} unreadable ({}); trying at the next period", key.domain, key.period, e.getMessage());
            underway.remove(key);
            return;
        }
        List<PolicyCounts> domainCounts = counts.forDomain(key.domain);
        boolean anyFailure = domainCounts.stream().anyMatch(policy -> policy.totalFailures() > 0);
        if (domainCounts.isEmpty() || settings.onlyFailures() && !anyFailure) {
            LOGGER.debug("no TLS-RPT report for {} in {}: no failures", key.domain, key.period);
            forget(key);
            return;
        }
        TlsReport report = TlsReport.of(settings, counts, key.domain, String.format("%016x", random.nextLong()));
        new ReportDelivery(report, destinations, mailer, uploader, timer, backoff, (done, delivered) -> forget(key)).start();
    }

    private void forget(Key key) {
        try {
            store.remove(key.period, key.domain);
        } catch (IOException e) {
            LOGGER.error("TLS-RPT counts of {} for {} not removed from {} ({}); they may be reported again after a restart",
                key.domain, key.period, store, e.getMessage());
        }
        underway.remove(key);
    }

    /** A policy domain's counts of one period: what one report covers. */
    private static final class Key {
        final ReportPeriod period;
        final String domain;

        Key(ReportPeriod period, String domain) {
            this.period = period;
            this.domain = domain;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && period.equals(((Key) o).period) && domain.equals(((Key) o).domain);
        }

        @Override
        public int hashCode() {
            return Objects.hash(period, domain);
        }
    }
}

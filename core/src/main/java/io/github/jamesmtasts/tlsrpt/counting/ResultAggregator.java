package io.github.jamesmtasts.tlsrpt.counting;

import io.github.jamesmtasts.result.ResultSink;
import io.github.jamesmtasts.result.SessionResult;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts session results per report period and {@link PolicyScope} (RFC 8460 §4.4), and moves the
 * counts to a {@link ResultStore} whenever {@link #persist()} is called.
 *
 * <p>{@link #record} is lock-free on its usual path: the counters are {@link LongAdder}s in
 * {@link ConcurrentHashMap}s, so delivery threads do not wait on each other or on the disk. Counters
 * only grow; {@link #persist()} hands the store what each counter gained since it last succeeded, so a
 * failed write is simply retried with a larger addition later.
 *
 * <p>Contract with delivery (RFC 8460 §3: a session that carried a report "SHOULD NOT" be included in
 * the next report): the sender of results does not record sessions of report mails, which it recognises
 * by their {@value ReportMessage#REPORT_DOMAIN_HEADER} header. This sink counts everything it is given.
 *
 * <p>A result whose time falls in a period already closed by {@link #closeThrough} counts in the first
 * period still open, so nothing is lost to a report already made.
 */
public final class ResultAggregator implements ResultSink {
    private final Duration periodLength;
    private final ResultStore store;
    private final ConcurrentHashMap<ReportPeriod, LivePeriod> live = new ConcurrentHashMap<>();
    private final Object persisting = new Object();
    private volatile Instant openFrom = Instant.EPOCH;
    private Instant closedAtLastPersist = Instant.EPOCH;

    public ResultAggregator(Duration periodLength, ResultStore store) {
        this.periodLength = ReportPeriod.requireValidLength(periodLength);
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public void record(SessionResult result) {
        Instant time = result.time();
        Instant open = openFrom;
        ReportPeriod period = ReportPeriod.containing(time.isBefore(open) ? open : time, periodLength);
        LivePeriod counters = live.get(period);
        if (counters == null) {
            counters = live.computeIfAbsent(period, key -> new LivePeriod());
        }
        counters.count(result);
    }

    /**
     * Closes every period that ends at or before {@code end}: later results timed in them count in the
     * first open period. Then persists, so the store holds the closed periods' complete counts.
     */
    public void closeThrough(Instant end) throws IOException {
        synchronized (persisting) {
            if (end.isAfter(openFrom)) {
                openFrom = end;
            }
        }
        persist();
    }

    /**
     * Adds to the store what was counted since the last successful call. A closed period leaves memory
     * one call after the call that closed it, once every {@link #record} that began before the close
     * has long finished.
     *
     * @throws IOException if the store failed; nothing is lost, the next call tries again
     */
    public void persist() throws IOException {
        synchronized (persisting) {
            Instant closedBefore = openFrom;
            for (Map.Entry<ReportPeriod, LivePeriod> entry : live.entrySet()) {
                ReportPeriod period = entry.getKey();
                entry.getValue().persist(period, store);
                if (!period.end().isAfter(closedAtLastPersist)) {
                    live.remove(period, entry.getValue());
                }
            }
            closedAtLastPersist = closedBefore;
        }
    }

    /** One counter and what of it the store already holds (read and written under the persist lock). */
    private static final class Counter {
        final LongAdder total = new LongAdder();
        long persisted;
        long pending;

        long snapshot() {
            pending = total.sum();
            return pending - persisted;
        }

        void committed() {
            persisted = pending;
        }
    }

    /** The counters of one policy scope. */
    private static final class LiveScope {
        final Counter successful = new Counter();
        final ConcurrentHashMap<FailureGroup, Counter> failures = new ConcurrentHashMap<>();

        void count(SessionResult result) {
            if (result.successful()) {
                successful.total.increment();
                return;
            }
            FailureGroup group = FailureGroup.of(result);
            Counter counter = failures.get(group);
            if (counter == null) {
                counter = failures.computeIfAbsent(group, key -> new Counter());
            }
            counter.total.increment();
        }
    }

    /** The counters of one period. */
    private static final class LivePeriod {
        final ConcurrentHashMap<PolicyScope, LiveScope> scopes = new ConcurrentHashMap<>();

        void count(SessionResult result) {
            PolicyScope scope = PolicyScope.of(result);
            LiveScope counters = scopes.get(scope);
            if (counters == null) {
                counters = scopes.computeIfAbsent(scope, key -> new LiveScope());
            }
            counters.count(result);
        }

        void persist(ReportPeriod period, ResultStore store) throws IOException {
            List<PolicyCounts> additions = new ArrayList<>();
            List<Counter> touched = new ArrayList<>();
            scopes.forEach((scope, counters) -> {
                long successful = counters.successful.snapshot();
                if (successful > 0) {
                    touched.add(counters.successful);
                }
                Map<FailureGroup, Long> failures = new LinkedHashMap<>();
                counters.failures.forEach((group, counter) -> {
                    long failed = counter.snapshot();
                    if (failed > 0) {
                        failures.put(group, failed);
                        touched.add(counter);
                    }
                });
                if (successful > 0 || !failures.isEmpty()) {
                    additions.add(new PolicyCounts(scope, successful, failures));
                }
            });
            if (!additions.isEmpty()) {
                store.add(PeriodCounts.of(period, additions));
                touched.forEach(Counter::committed);
            }
        }
    }
}

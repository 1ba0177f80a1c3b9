package io.github.jamesmtasts.tlsrpt.counting;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** A {@link ResultStore} in memory that can be told to fail, for aggregator tests. */
public final class InMemoryResultStore implements ResultStore {
    private final TreeMap<ReportPeriod, PeriodCounts> periods = new TreeMap<>();
    private final List<PeriodCounts> additions = new ArrayList<>();
    private int failuresToCome;

    /** The next {@code count} additions fail. */
    public synchronized void failNext(int count) {
        failuresToCome = count;
    }

    public synchronized List<PeriodCounts> additions() {
        return List.copyOf(additions);
    }

    @Override
    public synchronized void add(PeriodCounts addition) throws IOException {
        if (failuresToCome > 0) {
            failuresToCome--;
            throw new IOException("disk full");
        }
        additions.add(addition);
        periods.merge(addition.period(), addition, PeriodCounts::plus);
    }

    @Override
    public synchronized PeriodCounts load(ReportPeriod period) {
        return periods.getOrDefault(period, PeriodCounts.empty(period));
    }

    @Override
    public synchronized List<ReportPeriod> periods() {
        return List.copyOf(periods.keySet());
    }

    @Override
    public synchronized void remove(ReportPeriod period, String policyDomain) {
        periods.computeIfPresent(period, (key, counts) -> {
            PeriodCounts rest = counts.withoutDomain(policyDomain);
            return rest.isEmpty() ? null : rest;
        });
    }
}

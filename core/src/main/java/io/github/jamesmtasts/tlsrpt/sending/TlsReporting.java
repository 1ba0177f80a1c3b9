package io.github.jamesmtasts.tlsrpt.sending;

import io.github.jamesmtasts.state.ClusterState;
import io.github.jamesmtasts.state.NodeName;
import io.github.jamesmtasts.state.PublishedCounts;
import io.github.jamesmtasts.tlsrpt.TlsRptResolver;
import io.github.jamesmtasts.tlsrpt.counting.PeriodCounts;
import io.github.jamesmtasts.tlsrpt.counting.ReportPeriod;
import io.github.jamesmtasts.tlsrpt.counting.ResultAggregator;
import io.github.jamesmtasts.tlsrpt.counting.ResultStore;
import io.github.jamesmtasts.result.ResultSink;

import java.io.IOException;
import java.time.Instant;
import java.util.Objects;

/**
 * TLS-RPT as one running service of one node: the {@link ResultAggregator} that delivery records into, publishing
 * this node's counts to the {@link ClusterState} ({@link PublishedCounts}), and the {@link ReportScheduler} that
 * sends the reports this node claims, with the counts of every node. Start it when James starts and close it when
 * James stops, so the last counts are written.
 */
public final class TlsReporting implements AutoCloseable {
    private final TlsRptSettings settings;
    private final ResultAggregator aggregator;
    private final ResultStore store;
    private final ReportScheduler scheduler;

    private TlsReporting(TlsRptSettings settings, ResultAggregator aggregator, ResultStore store, ReportScheduler scheduler) {
        this.settings = settings;
        this.aggregator = aggregator;
        this.store = store;
        this.scheduler = scheduler;
    }

    /** Starts counting as {@code node} and scheduling; reports left by a previous run go out at once. */
    public static TlsReporting start(TlsRptSettings settings, ClusterState state, NodeName node, TlsRptResolver lookup,
                                     ReportMailer mailer, ReportUploader uploader) {
        Objects.requireNonNull(settings, "settings");
        ResultStore store = new PublishedCounts(state, node);
        ResultAggregator aggregator = new ResultAggregator(settings.period(), store);
        ReportScheduler scheduler = ReportScheduler.create(settings, aggregator, store,
            (period, domain) -> state.claimReport(period, domain, node, settings.claimLease()), lookup, mailer, uploader);
        scheduler.start();
        return new TlsReporting(settings, aggregator, store, scheduler);
    }

    /** Where delivery records every session result (RFC 8460 §4.4); see {@link ResultAggregator} for the contract. */
    public ResultSink sink() {
        return aggregator;
    }

    /** What every node counted so far in the period under way, this node's counts written to the store first. */
    public PeriodCounts currentPeriod(Instant now) throws IOException {
        aggregator.persist();
        return store.load(ReportPeriod.containing(now, settings.period()));
    }

    /** Sends the reports of ended periods now, without waiting for the random delay after a period's end. */
    public void sendNow() {
        scheduler.sendNow();
    }

    public TlsRptSettings settings() {
        return settings;
    }

    /** Stops the scheduler and writes the counts to the store. */
    @Override
    public void close() throws IOException {
        scheduler.close();
    }
}

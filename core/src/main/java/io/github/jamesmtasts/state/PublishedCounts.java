package io.github.jamesmtasts.state;

import io.github.jamesmtasts.tlsrpt.counting.PeriodCounts;
import io.github.jamesmtasts.tlsrpt.counting.ReportPeriod;
import io.github.jamesmtasts.tlsrpt.counting.ResultStore;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link ResultStore} of one node of a cluster: what its aggregator adds goes into this node's own totals, which
 * are published whole ({@link ClusterState#publishCounts}, an idempotent overwrite of the node's rows); what the
 * scheduler reads is the sum over every node ({@link ClusterState#counts}).
 *
 * <p>The node's totals of a period are read back from the state the first time the period is touched after a start
 * (so a restart, even after {@code kill -9}, goes on from what was published) and kept here after each successful
 * publication only: a publication that failed, or timed out after being applied, is overwritten by the next one, with
 * the totals as they are then, so no session is counted twice. Only the policy domains an addition touches are
 * published, so a domain another node reported and forgot is not written back.
 */
public final class PublishedCounts implements ResultStore {
    private final ClusterState state;
    private final NodeName node;
    private final Map<ReportPeriod, PeriodCounts> mine = new HashMap<>();

    public PublishedCounts(ClusterState state, NodeName node) {
        this.state = Objects.requireNonNull(state, "state");
        this.node = Objects.requireNonNull(node, "node");
    }

    @Override
    public synchronized void add(PeriodCounts addition) throws IOException {
        ReportPeriod period = addition.period();
        PeriodCounts before = mine.get(period);
        if (before == null) {
            before = state.countsOf(node, period);
            mine.put(period, before);
        }
        PeriodCounts after = before.plus(addition);
        PeriodCounts touched = PeriodCounts.empty(period);
        for (String domain : addition.policyDomains()) {
            touched = touched.plus(PeriodCounts.of(period, after.forDomain(domain)));
        }
        state.publishCounts(node, touched);
        mine.put(period, after);
        forgetPeriodsBefore(period);
    }

    /** The aggregator closes a period when it ends: no addition comes for one that ended a period before this one began. */
    private void forgetPeriodsBefore(ReportPeriod current) {
        mine.keySet().removeIf(period -> period.end().isBefore(current.start().minus(current.length())));
    }

    @Override
    public PeriodCounts load(ReportPeriod period) throws IOException {
        return state.counts(period);
    }

    @Override
    public List<ReportPeriod> periods() throws IOException {
        return state.periods();
    }

    @Override
    public synchronized void remove(ReportPeriod period, String policyDomain) throws IOException {
        state.forgetCounts(period, policyDomain);
        mine.computeIfPresent(period, (key, counts) -> counts.withoutDomain(policyDomain));
    }

    @Override
    public String toString() {
        return "the counts of node " + node + " in " + state;
    }
}

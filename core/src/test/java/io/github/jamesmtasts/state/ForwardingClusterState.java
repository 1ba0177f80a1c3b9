package io.github.jamesmtasts.state;

import io.github.jamesmtasts.delivery.DaneMode;
import io.github.jamesmtasts.delivery.DomainOverride;
import io.github.jamesmtasts.delivery.EnforcementMode;
import io.github.jamesmtasts.policy.CachedPolicy;
import io.github.jamesmtasts.tlsrpt.counting.PeriodCounts;
import io.github.jamesmtasts.tlsrpt.counting.ReportPeriod;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A {@link ClusterState} that hands every call to another: tests override the calls they make fail. */
public class ForwardingClusterState implements ClusterState {
    private final ClusterState state;

    public ForwardingClusterState(ClusterState state) {
        this.state = state;
    }

    @Override
    public EnforcementState enforcement() throws IOException {
        return state.enforcement();
    }

    @Override
    public void setGlobal(EnforcementMode mode) throws IOException {
        state.setGlobal(mode);
    }

    @Override
    public void setDane(DaneMode mode) throws IOException {
        state.setDane(mode);
    }

    @Override
    public void putOverride(String domain, DomainOverride override) throws IOException {
        state.putOverride(domain, override);
    }

    @Override
    public boolean removeOverride(String domain) throws IOException {
        return state.removeOverride(domain);
    }

    @Override
    public void publishCounts(NodeName node, PeriodCounts totals) throws IOException {
        state.publishCounts(node, totals);
    }

    @Override
    public PeriodCounts counts(ReportPeriod period) throws IOException {
        return state.counts(period);
    }

    @Override
    public PeriodCounts countsOf(NodeName node, ReportPeriod period) throws IOException {
        return state.countsOf(node, period);
    }

    @Override
    public List<ReportPeriod> periods() throws IOException {
        return state.periods();
    }

    @Override
    public void forgetCounts(ReportPeriod period, String policyDomain) throws IOException {
        state.forgetCounts(period, policyDomain);
    }

    @Override
    public boolean claimReport(ReportPeriod period, String policyDomain, NodeName node, Duration lease) throws IOException {
        return state.claimReport(period, policyDomain, node, lease);
    }

    @Override
    public void offerPolicy(CachedPolicy policy) throws IOException {
        state.offerPolicy(policy);
    }

    @Override
    public List<CachedPolicy> policies() throws IOException {
        return state.policies();
    }

    @Override
    public boolean claimDelivery(String mailKey, Instant due, NodeName node, Duration lease) throws IOException {
        return state.claimDelivery(mailKey, due, node, lease);
    }
}

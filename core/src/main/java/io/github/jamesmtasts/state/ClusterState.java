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

/**
 * The state every James server of a cluster shares: the admin's enforcement switches, the TLS-RPT counts of all
 * nodes, who sends each report, the newest policy of each domain, and who makes each delivery attempt of a mail in a
 * repository every node sees. Implementations are safe for concurrent use, from several threads and from
 * several nodes; when a method returns, its change is durable.
 */
public interface ClusterState {
    /** The switches as set and the overrides in force now (expired ones left out). */
    EnforcementState enforcement() throws IOException;

    void setGlobal(EnforcementMode mode) throws IOException;

    void setDane(DaneMode mode) throws IOException;

    /** Sets or replaces the override of a domain (any case, with or without a trailing dot). */
    void putOverride(String domain, DomainOverride override) throws IOException;

    /** Removes the override of a domain; returns whether there was one. */
    boolean removeOverride(String domain) throws IOException;

    /**
     * Records {@code totals}, everything {@code node} counted in their period so far, in place of what it recorded
     * before for the same period and policy domains: the totals, not an addition, so a retried write changes nothing.
     */
    void publishCounts(NodeName node, PeriodCounts totals) throws IOException;

    /** The counts of a period, summed over every node that published some. */
    PeriodCounts counts(ReportPeriod period) throws IOException;

    /** What {@code node} itself published for a period: where it goes on counting after a restart. */
    PeriodCounts countsOf(NodeName node, ReportPeriod period) throws IOException;

    /** Every period that holds counts, oldest first. */
    List<ReportPeriod> periods() throws IOException;

    /** Forgets every node's counts of a policy domain in a period, once its report was sent. */
    void forgetCounts(ReportPeriod period, String policyDomain) throws IOException;

    /**
     * Claims the sending of the report of {@code policyDomain} for {@code period}: true for the one node that got the
     * claim, on its first call and on any retry, false for every other node until {@code lease} has passed since the
     * claim: then the report of a node that stopped for good before it was sent is left to another.
     */
    boolean claimReport(ReportPeriod period, String policyDomain, NodeName node, Duration lease) throws IOException;

    /**
     * Keeps {@code policy} as its domain's newest, unless the state holds one of that domain fetched at the same moment
     * or later: RFC 8461 gives policy ids no order, so of two policies of a domain the later fetch is the newer.
     */
    void offerPolicy(CachedPolicy policy) throws IOException;

    /** The newest policy of each domain that one was offered for, those expired now left out. */
    List<CachedPolicy> policies() throws IOException;

    /**
     * Claims one delivery attempt of a mail in a repository every node sees: the mail under {@code mailKey} as it is
     * due at {@code due} (each retry is due at another moment, and is another attempt). True for the one node that
     * got the claim, on its first call and on any retry, false for every other node until {@code lease} has passed
     * since the claim: then the attempt of a node that died during it is left to another.
     */
    boolean claimDelivery(String mailKey, Instant due, NodeName node, Duration lease) throws IOException;
}

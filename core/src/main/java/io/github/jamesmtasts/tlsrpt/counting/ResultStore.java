package io.github.jamesmtasts.tlsrpt.counting;

import java.io.IOException;
import java.util.List;

/**
 * Where session counts live until their report is made, so that a restart loses none.
 *
 * <p>The store receives additions rather than totals; in a cluster, {@code state.PublishedCounts} turns them into
 * this node's totals, which it publishes whole (no counter columns: a retried counter update counts twice). An
 * implementation must be safe for concurrent use.
 */
public interface ResultStore {
    /** Adds the given counts to the period's totals; when this returns, the addition is durable. */
    void add(PeriodCounts addition) throws IOException;

    /** The totals of a period; empty when nothing was counted in it. */
    PeriodCounts load(ReportPeriod period) throws IOException;

    /** Every period that holds counts, oldest first. */
    List<ReportPeriod> periods() throws IOException;

    /** Forgets a policy domain's counts of a period, once its report is made (or not wanted). */
    void remove(ReportPeriod period, String policyDomain) throws IOException;
}

package io.github.jamesmtasts.tlsrpt.sending;

import io.github.jamesmtasts.tlsrpt.counting.ReportPeriod;

import java.io.IOException;

/**
 * Who sends the report of a policy domain for a period, when several servers count for it: the one server whose
 * claim wins, on its first try and on any retry of its own (a cluster's {@code ClusterState#claimReport}).
 */
@FunctionalInterface
public interface ReportClaims {
    /** Whether this server sends the report of {@code policyDomain} for {@code period}. */
    boolean claim(ReportPeriod period, String policyDomain) throws IOException;
}

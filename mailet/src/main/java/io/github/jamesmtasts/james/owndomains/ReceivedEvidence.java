package io.github.jamesmtasts.james.owndomains;

import io.github.jamesmtasts.dns.HostNames;
import io.github.jamesmtasts.tlsrpt.receiving.ReceivedPolicy;
import io.github.jamesmtasts.tlsrpt.receiving.ReceivedReport;
import io.github.jamesmtasts.watch.SenderEvidence;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** What the TLS-RPT reports James received about one of its domains say, for the watch's readiness advice. */
public final class ReceivedEvidence implements SenderEvidence {
    private final int organisations;
    private final int days;
    private final long failed;

    private ReceivedEvidence(int organisations, int days, long failed) {
        this.organisations = organisations;
        this.days = days;
        this.failed = failed;
    }

    /** Sums up {@code reports} for {@code domain}: only the policies of that domain count. */
    public static ReceivedEvidence of(String domain, List<ReceivedReport> reports) {
        String name = HostNames.normalize(domain);
        int organisations = (int) reports.stream().map(ReceivedReport::organizationName).distinct().count();
        Instant first = reports.stream().map(ReceivedReport::start).min(Instant::compareTo).orElse(Instant.EPOCH);
        Instant last = reports.stream().map(ReceivedReport::end).max(Instant::compareTo).orElse(Instant.EPOCH);
        long failed = reports.stream().flatMap(report -> report.policies().stream())
            .filter(policy -> Objects.equals(policy.normalizedPolicyDomain(), name)).mapToLong(ReceivedPolicy::failed).sum();
        return new ReceivedEvidence(organisations, reports.isEmpty() ? 0 : (int) Duration.between(first, last).toDays(), failed);
    }

    @Override
    public int reportingOrganisations() {
        return organisations;
    }

    @Override
    public int daysCovered() {
        return days;
    }

    @Override
    public long failedSessions() {
        return failed;
    }
}

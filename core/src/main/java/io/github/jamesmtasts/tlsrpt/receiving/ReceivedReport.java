package io.github.jamesmtasts.tlsrpt.receiving;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** A TLS-RPT report another sender sent to a domain hosted here, read from its RFC 8460 §4.4 JSON. */
public final class ReceivedReport {
    private final String organizationName;
    private final String contactInfo;
    private final String reportId;
    private final Instant start;
    private final Instant end;
    private final List<ReceivedPolicy> policies;

    public ReceivedReport(String organizationName, String contactInfo, String reportId, Instant start, Instant end,
                          List<ReceivedPolicy> policies) {
        this.organizationName = Objects.requireNonNull(organizationName, "organizationName");
        this.contactInfo = Objects.requireNonNull(contactInfo, "contactInfo");
        this.reportId = Objects.requireNonNull(reportId, "reportId");
        this.start = Objects.requireNonNull(start, "start");
        this.end = Objects.requireNonNull(end, "end");
        this.policies = List.copyOf(policies);
        if (this.policies.isEmpty()) {
            throw new IllegalArgumentException("a report has at least one policy");
        }
    }

    /** {@code organization-name}: who sent the report. */
    public String organizationName() {
        return organizationName;
    }

    /** {@code contact-info}: an address at the sender. */
    public String contactInfo() {
        return contactInfo;
    }

    /** {@code report-id}: RFC 8460 §4.4 makes it unique, so a report is kept once per id. */
    public String reportId() {
        return reportId;
    }

    /** {@code date-range.start-datetime}. */
    public Instant start() {
        return start;
    }

    /** {@code date-range.end-datetime}. */
    public Instant end() {
        return end;
    }

    /** The UTC day the report's range starts on: the day it is filed under. */
    public LocalDate startDayUtc() {
        return start.atOffset(ZoneOffset.UTC).toLocalDate();
    }

    public List<ReceivedPolicy> policies() {
        return policies;
    }

    /** The normalized policy domains of the report's policies, in order, each once. */
    public Set<String> policyDomains() {
        Set<String> domains = new LinkedHashSet<>();
        policies.forEach(policy -> domains.add(policy.normalizedPolicyDomain()));
        return Collections.unmodifiableSet(domains);
    }

    public long totalSuccessful() {
        return policies.stream().mapToLong(ReceivedPolicy::successful).sum();
    }

    public long totalFailed() {
        return policies.stream().mapToLong(ReceivedPolicy::failed).sum();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ReceivedReport)) {
            return false;
        }
        ReceivedReport other = (ReceivedReport) o;
        return organizationName.equals(other.organizationName) && contactInfo.equals(other.contactInfo)
            && reportId.equals(other.reportId) && start.equals(other.start) && end.equals(other.end)
            && policies.equals(other.policies);
    }

    @Override
    public int hashCode() {
        return Objects.hash(organizationName, contactInfo, reportId, start, end, policies);
    }

    @Override
    public String toString() {
        return reportId + " from " + organizationName + " " + start + ".." + end + " " + policies;
    }
}

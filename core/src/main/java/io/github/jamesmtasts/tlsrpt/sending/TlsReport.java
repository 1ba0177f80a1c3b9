package io.github.jamesmtasts.tlsrpt.sending;

import io.github.jamesmtasts.tlsrpt.counting.PeriodCounts;
import io.github.jamesmtasts.tlsrpt.counting.PolicyCounts;
import io.github.jamesmtasts.tlsrpt.counting.ReportPeriod;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;

/**
 * One aggregate report to one policy domain for one period (RFC 8460 §4): who reports, the date
 * range, the report id, and the counts of each policy the domain's sessions were held to.
 * {@link ReportJson} writes it as RFC 8460 §4.4 JSON.
 */
public final class TlsReport {
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final String organizationName;
    private final String contactInfo;
    private final String submitter;
    private final ReportPeriod period;
    private final String policyDomain;
    private final String uniqueId;
    private final List<PolicyCounts> policies;

    private TlsReport(String organizationName, String contactInfo, String submitter, ReportPeriod period,
                      String policyDomain, String uniqueId, List<PolicyCounts> policies) {
        this.organizationName = Objects.requireNonNull(organizationName, "organizationName");
        this.contactInfo = Objects.requireNonNull(contactInfo, "contactInfo");
        this.submitter = Objects.requireNonNull(submitter, "submitter");
        this.period = Objects.requireNonNull(period, "period");
        this.policyDomain = Objects.requireNonNull(policyDomain, "policyDomain");
        this.uniqueId = Objects.requireNonNull(uniqueId, "uniqueId");
        this.policies = List.copyOf(policies);
        if (this.policies.isEmpty()) {
            throw new IllegalArgumentException("a report has at least one policy");
        }
        for (PolicyCounts counts : this.policies) {
            if (!counts.scope().policyDomain().equals(policyDomain)) {
                throw new IllegalArgumentException(counts.scope() + " does not belong in a report to " + policyDomain);
            }
        }
    }

    /**
     * The report of one policy domain's counts.
     *
     * @param uniqueId letters and digits, unique among the submitter's reports to this domain for this period
     */
    public static TlsReport of(TlsRptSettings settings, PeriodCounts counts, String policyDomain, String uniqueId) {
        return new TlsReport(settings.organizationName(), settings.contactInfo(), settings.submitter(), counts.period(),
            policyDomain, uniqueId, counts.forDomain(policyDomain));
    }

    /** RFC 8460 §4.4 {@code organization-name}. */
    public String organizationName() {
        return organizationName;
    }

    /** RFC 8460 §4.4 {@code contact-info}: an addr-spec. */
    public String contactInfo() {
        return contactInfo;
    }

    /** The domain of {@code contact-info}: RFC 8460 §5.1 {@code sender}, §5.3 {@code TLS-Report-Submitter}. */
    public String submitter() {
        return submitter;
    }

    /** RFC 8460 §4.4 {@code date-range}. */
    public ReportPeriod period() {
        return period;
    }

    public String policyDomain() {
        return policyDomain;
    }

    public List<PolicyCounts> policies() {
        return policies;
    }

    /**
     * RFC 8460 §4.4 {@code report-id}, in the {@code id-left "@" id-right} form the subject of §5.3
     * wants: the period's start, the unique id and the policy domain at the submitter.
     */
    public String reportId() {
        return ID_TIME.format(period.start()) + "." + uniqueId + "+" + policyDomain + "@" + submitter;
    }

    /** RFC 8460 §5.1 file name of the gzip-compressed report. */
    public String fileName() {
        return ReportFileName.of(submitter, policyDomain, period.start(), period.lastSecond(), uniqueId);
    }

    public long totalSuccessful() {
        return policies.stream().mapToLong(PolicyCounts::successful).sum();
    }

    public long totalFailures() {
        return policies.stream().mapToLong(PolicyCounts::totalFailures).sum();
    }

    @Override
    public String toString() {
        return reportId() + " " + policies;
    }
}

package io.github.jamesmtasts.tlsrpt.receiving;

import com.fasterxml.jackson.annotation.JsonValue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A policy domain's received reports added up per UTC day (the day a report's range starts) and per sending
 * organization: sessions that succeeded and failed, and the failures by result type, by receiving MX host and by
 * sending IP. Only the policies of the domain count; rows are by day, then organization; map keys are sorted.
 * {@link #toMap()} is the JSON form, which Jackson writes for the summary itself.
 */
public final class ReportSummary {
    private static final Comparator<Row> ORDER = Comparator.comparing(Row::day).thenComparing(Row::organization);

    private final String policyDomain;
    private final List<Row> rows;

    private ReportSummary(String policyDomain, List<Row> rows) {
        this.policyDomain = policyDomain;
        this.rows = List.copyOf(rows);
    }

    /** The summary of the policies of {@code policyDomain} (case-insensitive, a trailing dot ignored) in {@code reports}. */
    public static ReportSummary of(String policyDomain, List<ReceivedReport> reports) {
        String domain = ReceivedPolicy.normalize(policyDomain);
        Map<Map.Entry<LocalDate, String>, Row.Sums> sums = new LinkedHashMap<>();
        for (ReceivedReport report : reports) {
            boolean counted = false;
            for (ReceivedPolicy policy : report.policies()) {
                if (policy.normalizedPolicyDomain().equals(domain)) {
                    sums.computeIfAbsent(Map.entry(report.startDayUtc(), report.organizationName()),
                        key -> new Row.Sums(report.startDayUtc(), report.organizationName())).add(policy, !counted);
                    counted = true;
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        sums.values().forEach(row -> rows.add(row.row()));
        rows.sort(ORDER);
        return new ReportSummary(domain, rows);
    }

    /** The policy domain, lower case, without a trailing dot. */
    public String policyDomain() {
        return policyDomain;
    }

    public List<Row> rows() {
        return rows;
    }

    public Optional<Row> row(LocalDate day, String organization) {
        return rows.stream().filter(row -> row.day.equals(day) && row.organization.equals(organization)).findFirst();
    }

    public long successful() {
        return rows.stream().mapToLong(Row::successful).sum();
    }

    public long failed() {
        return rows.stream().mapToLong(Row::failed).sum();
    }

    /** {@code {"policy-domain": ..., "successful": n, "failed": n, "days": [row, ...]}}, in that order. */
    @JsonValue
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("policy-domain", policyDomain);
        map.put("successful", successful());
        map.put("failed", failed());
        List<Map<String, Object>> days = new ArrayList<>();
        rows.forEach(row -> days.add(row.toMap()));
        map.put("days", days);
        return map;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReportSummary && policyDomain.equals(((ReportSummary) o).policyDomain) && rows.equals(((ReportSummary) o).rows);
    }

    @Override
    public int hashCode() {
        return Objects.hash(policyDomain, rows);
    }

    @Override
    public String toString() {
        return toMap().toString();
    }

    /** One UTC day of one organization's reports on the domain. */
    public static final class Row {
        private final LocalDate day;
        private final String organization;
        private final long reports;
        private final long successful;
        private final long failed;
        private final Map<String, Long> failuresByResultType;
        private final Map<String, Long> failuresByReceivingMx;
        private final Map<String, Long> failuresBySendingIp;

        private Row(Sums sums) {
            this.day = sums.day;
            this.organization = sums.organization;
            this.reports = sums.reports;
            this.successful = sums.successful;
            this.failed = sums.failed;
            this.failuresByResultType = Collections.unmodifiableMap(new TreeMap<>(sums.byResultType));
            this.failuresByReceivingMx = Collections.unmodifiableMap(new TreeMap<>(sums.byReceivingMx));
            this.failuresBySendingIp = Collections.unmodifiableMap(new TreeMap<>(sums.bySendingIp));
        }

        public LocalDate day() {
            return day;
        }

        /** {@code organization-name} of the reports. */
        public String organization() {
            return organization;
        }

        /** How many reports were added up. */
        public long reports() {
            return reports;
        }

        /** {@code total-successful-session-count}, added up. */
        public long successful() {
            return successful;
        }

        /** {@code total-failure-session-count}, added up: the senders' totals, whatever their details say. */
        public long failed() {
            return failed;
        }

        /** {@code failed-session-count} by {@code result-type}, the types this code does not know included. */
        public Map<String, Long> failuresByResultType() {
            return failuresByResultType;
        }

        /** {@code failed-session-count} by {@code receiving-mx-hostname}, of the failure details that name one. */
        public Map<String, Long> failuresByReceivingMx() {
            return failuresByReceivingMx;
        }

        /** {@code failed-session-count} by {@code sending-mta-ip}, of the failure details that name one. */
        public Map<String, Long> failuresBySendingIp() {
            return failuresBySendingIp;
        }

        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("day", day.toString());
            map.put("organization", organization);
            map.put("reports", reports);
            map.put("successful", successful);
            map.put("failed", failed);
            map.put("failures-by-result-type", failuresByResultType);
            map.put("failures-by-receiving-mx", failuresByReceivingMx);
            map.put("failures-by-sending-ip", failuresBySendingIp);
            return map;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Row)) {
                return false;
            }
            Row other = (Row) o;
            return reports == other.reports && successful == other.successful && failed == other.failed
                && day.equals(other.day) && organization.equals(other.organization)
                && failuresByResultType.equals(other.failuresByResultType)
                && failuresByReceivingMx.equals(other.failuresByReceivingMx) && failuresBySendingIp.equals(other.failuresBySendingIp);
        }

        @Override
        public int hashCode() {
            return Objects.hash(day, organization, reports, successful, failed, failuresByResultType, failuresByReceivingMx,
                failuresBySendingIp);
        }

        @Override
        public String toString() {
            return toMap().toString();
        }

        /** A row being added up. */
        private static final class Sums {
            private final LocalDate day;
            private final String organization;
            private long reports;
            private long successful;
            private long failed;
            private final Map<String, Long> byResultType = new TreeMap<>();
            private final Map<String, Long> byReceivingMx = new TreeMap<>();
            private final Map<String, Long> bySendingIp = new TreeMap<>();

            Sums(LocalDate day, String organization) {
                this.day = day;
                this.organization = organization;
            }

            void add(ReceivedPolicy policy, boolean newReport) {
                reports += newReport ? 1 : 0;
                successful = plus(successful, policy.successful());
                failed = plus(failed, policy.failed());
                for (ReceivedFailure failure : policy.failures()) {
                    long count = failure.failedSessionCount();
                    byResultType.merge(failure.resultType(), count, Sums::plus);
                    failure.receivingMxHostname().ifPresent(host -> byReceivingMx.merge(ReceivedPolicy.normalize(host), count, Sums::plus));
                    failure.sendingMtaIp().ifPresent(ip -> bySendingIp.merge(ip, count, Sums::plus));
                }
            }

            Row row() {
                return new Row(this);
            }

            /** The sum of two counts, at most a long's maximum: a sender's huge counts must not break a summary. */
            private static long plus(long a, long b) {
                long sum = a + b;
                return sum < 0 ? Long.MAX_VALUE : sum;
            }
        }
    }
}

package io.github.jamesmtasts.james.owndomains;

import io.github.jamesmtasts.check.Finding;
import io.github.jamesmtasts.mtasts.Mode;
import io.github.jamesmtasts.tlsrpt.receiving.ReceivedReport;
import io.github.jamesmtasts.tlsrpt.receiving.ReceivedReportStore;
import io.github.jamesmtasts.tlsrpt.receiving.ReportSummary;
import io.github.jamesmtasts.watch.DomainState;
import io.github.jamesmtasts.watch.ReadinessAdvice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the TLS-RPT reports James received about one of its domains add to the watch (issue 17 §3): the failures
 * other senders reported since the previous check, by result type (RFC 8460 §4.3), a warning that alerts once when
 * failures start; and, for a domain in {@code testing}, whether the reports make it ready for {@code enforce}.
 */
public final class ReportFindings {
    static final String STEP = "reports";
    /** How far back the first check looks, and the readiness advice always. */
    static final Duration FIRST_LOOK = Duration.ofDays(1);
    private static final Logger LOG = LoggerFactory.getLogger(ReportFindings.class);

    private final ReceivedReportStore store;
    private final ReadinessAdvice readiness;
    private final Clock clock;

    public ReportFindings(ReceivedReportStore store, ReadinessAdvice readiness, Clock clock) {
        this.store = store;
        this.readiness = readiness;
        this.clock = clock;
    }

    /** The findings for {@code domain}, served in {@code mode}, given its previous state. */
    public List<Finding> findings(String domain, Mode mode, Optional<DomainState> previous) {
        Instant since = previous.map(DomainState::checked).orElse(clock.instant().minus(FIRST_LOOK));
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        try {
            // RFC 8460 §4.1: a report comes after its day ends, so one ending up to a day before the previous check
            // may have arrived since.
            List<ReceivedReport> recent = store.reports(domain, LocalDate.ofInstant(since, ZoneOffset.UTC).minusDays(1), today).stream()
                .filter(report -> report.end().isAfter(since.minus(FIRST_LOOK))).collect(Collectors.toList());
            List<ReceivedReport> window = store.reports(domain, today.minusDays(ReadinessAdvice.DEFAULT_DAYS), today);
            return List.of(failures(domain, since, recent),
                Finding.of(STEP, domain, Finding.Status.INFO, "readiness",
                    readiness.advise(domain, mode, ReceivedEvidence.of(domain, window)).text()));
        } catch (IOException e) {
            LOG.warn("The watch could not read the reports received about {}", domain, e);
            return List.of();
        }
    }

    private static Finding failures(String domain, Instant since, List<ReceivedReport> reports) {
        ReportSummary summary = ReportSummary.of(domain, reports);
        if (summary.failed() == 0) {
            return Finding.of(STEP, domain, Finding.Status.OK, "reported-failures",
                reports.size() + " report(s) since " + since + ", no failed session");
        }
        Map<String, Long> byType = new TreeMap<>();
        summary.rows().forEach(row -> row.failuresByResultType().forEach((type, count) -> byType.merge(type, count, Long::sum)));
        String senders = summary.rows().stream().map(ReportSummary.Row::organization).distinct().collect(Collectors.joining(", "));
        return Finding.of(STEP, domain, Finding.Status.WARNING, "reported-failures", summary.failed()
            + " failed session(s) reported since " + since + " by " + senders + ": " + byType);
    }
}

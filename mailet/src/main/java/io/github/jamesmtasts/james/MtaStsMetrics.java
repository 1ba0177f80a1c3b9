package io.github.jamesmtasts.james;

import io.github.jamesmtasts.delivery.DeliveryOutcome;
import io.github.jamesmtasts.delivery.DomainOutcome;
import io.github.jamesmtasts.policy.FetchTimer;
import io.github.jamesmtasts.policy.PolicyLookup;
import io.github.jamesmtasts.tlsrpt.sending.ReportMailer;
import io.github.jamesmtasts.tlsrpt.sending.ReportUploader;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.metrics.api.TimeMetric;

import io.github.jamesmtasts.tlsrpt.receiving.IntakeListener;
import io.github.jamesmtasts.tlsrpt.receiving.Reason;
import io.github.jamesmtasts.tlsrpt.receiving.ReceivedReport;

import io.github.jamesmtasts.watch.Alert;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * The extension's counters and timers, through James's {@link MetricFactory} (so they appear wherever the
 * server publishes its metrics: WebAdmin's {@code /metrics}, JMX). Names:
 * <ul>
 *   <li>{@code mtasts_policy_lookups_<policy|no_policy|temporary_failure|skipped>}: one per domain delivery;</li>
 *   <li>{@code mtasts_policy_fetch}: a timer of policy fetches;</li>
 *   <li>{@code mtasts_deliveries_<enforce|testing|opportunistic|refuse>_<delivered|retry|bounce>}: one per
 *       recipient, by how MTA-STS was applied (the TLS stance: verified for enforce and testing) and outcome;</li>
 *   <li>{@code mtasts_deferrals_<result type>}: recipients deferred for an RFC 8460 result type, such as
 *       {@code mtasts_deferrals_certificate_host_mismatch};</li>
 *   <li>{@code tlsrpt_reports_sent_mail}, {@code tlsrpt_reports_sent_https}: reports handed to a destination.</li>
 * </ul>
 */
public final class MtaStsMetrics {
    private final MetricFactory factory;

    public MtaStsMetrics(MetricFactory factory) {
        this.factory = factory;
    }

    /** Counts one delivery attempt to a domain. */
    public void delivered(DomainOutcome outcome) {
        count("mtasts_policy_lookups_" + outcome.application().lookup().map(PolicyLookup::status).map(Enum::name).orElse("skipped"));
        String treatment = outcome.application().treatment().name();
        for (DeliveryOutcome recipient : outcome.outcomes().values()) {
            count("mtasts_deliveries_" + treatment + "_" + recipient.status().name());
            if (recipient.status() == DeliveryOutcome.Status.RETRY) {
                recipient.problem().flatMap(problem -> problem.failure())
                    .ifPresent(failure -> count("mtasts_deferrals_" + failure.type().code()));
            }
        }
    }

    /** Times each policy fetch. */
    public FetchTimer fetchTimer() {
        return () -> {
            TimeMetric timer = factory.timer("mtasts_policy_fetch");
            return timer::stopAndPublish;
        };
    }

    /** Counts the report mails the mailer accepted. */
    public ReportMailer counting(ReportMailer mailer) {
        return (sender, recipient, message) -> {
            mailer.send(sender, recipient, message);
            count("tlsrpt_reports_sent_mail");
        };
    }

    /** Counts the uploads a destination accepted (RFC 8460 §5.4: any 2xx). */
    public ReportUploader counting(ReportUploader uploader) {
        return (uri, contentType, body) -> {
            int status = uploader.post(uri, contentType, body);
            if (status / 100 == 2) {
                count("tlsrpt_reports_sent_https");
            }
            return status;
        };
    }

    /**
     * Counts the TLS-RPT reports received about James's own domains: accepted, and refused by reason, and the
     * sessions the accepted ones report, successful and failed.
     */
    public IntakeListener receivedReports() {
        return new IntakeListener() {
            @Override
            public void accepted(ReceivedReport report) {
                count("tlsrpt_received_accepted");
                factory.generate("tlsrpt_received_sessions_successful").add((int) Math.min(Integer.MAX_VALUE, report.totalSuccessful()));
                factory.generate("tlsrpt_received_sessions_failed").add((int) Math.min(Integer.MAX_VALUE, report.totalFailed()));
            }

            @Override
            public void rejected(Reason reason) {
                count("tlsrpt_received_rejected_" + reason.name());
            }
        };
    }

    /** Counts the watch's alerts by kind ({@code new_problem}, {@code expiring}, {@code resolved}). */
    public Consumer<Alert> counting(Consumer<Alert> alerts) {
        return alert -> {
            alerts.accept(alert);
            count("mtasts_watch_alerts_" + alert.kind().name());
        };
    }

    private void count(String name) {
        factory.generate(name.toLowerCase(Locale.ROOT).replace('-', '_')).increment();
    }
}

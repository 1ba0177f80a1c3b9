package io.github.jamesmtasts.tlsrpt.receiving;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * Takes in the reports sent to this server's domains: reads one ({@link ReportReader}), makes sure it is about
 * domains hosted here, and keeps it once ({@link ReceivedReportStore}). Each refusal is logged with its reason.
 *
 * <p>Every policy domain of a report must be hosted, or the whole report is refused ({@link Reason#UNKNOWN_DOMAIN}):
 * a sender reports on the domain whose {@code rua} it sent to (RFC 8460 §3), so a report naming another domain is
 * misdirected, and keeping part of it would show other domains' data to this server's admin, or drop part of a
 * report while telling its sender it was taken.
 */
public final class ReportIntake {
    private static final Logger LOGGER = LoggerFactory.getLogger(ReportIntake.class);

    private final ReportReader reader;
    private final Predicate<String> hostedDomain;
    private final ReceivedReportStore store;
    private final IntakeListener listener;
    private final Map<IntakeResult.Outcome, LongAdder> outcomes = new EnumMap<>(IntakeResult.Outcome.class);
    private final Map<Reason, LongAdder> reasons = new EnumMap<>(Reason.class);

    /**
     * @param hostedDomain whether a domain is hosted here; it is given domains in lower case without a trailing dot
     */
    public ReportIntake(ReportReader reader, Predicate<String> hostedDomain, ReceivedReportStore store, IntakeListener listener) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.hostedDomain = Objects.requireNonNull(hostedDomain, "hostedDomain");
        this.store = Objects.requireNonNull(store, "store");
        this.listener = Objects.requireNonNull(listener, "listener");
        for (IntakeResult.Outcome outcome : IntakeResult.Outcome.values()) {
            outcomes.put(outcome, new LongAdder());
        }
        for (Reason reason : Reason.values()) {
            reasons.put(reason, new LongAdder());
        }
    }

    /** Takes a report as the transport got it; never throws on what a sender sent. */
    public IntakeResult receive(String mediaType, byte[] body) {
        ReadResult read = reader.read(mediaType, body);
        if (read.rejection().isPresent()) {
            return end(IntakeResult.rejected(read.rejection().get()));
        }
        ReceivedReport report = read.report().orElseThrow();
        for (String domain : report.policyDomains()) {
            if (!hostedDomain.test(domain)) {
                return end(IntakeResult.rejected(Rejection.of(Reason.UNKNOWN_DOMAIN,
                    "policy-domain " + domain + " is not hosted here (report-id " + report.reportId() + ")")));
            }
        }
        try {
            return end(store.add(report, read.json().orElseThrow()) ? IntakeResult.accepted(report) : IntakeResult.duplicate(report));
        } catch (StoreFullException e) {
            return end(IntakeResult.rejected(Rejection.of(Reason.STORE_FULL, e.getMessage())));
        } catch (IOException e) {
            LOGGER.error("cannot keep received TLS-RPT report {}", report.reportId(), e);
            return end(IntakeResult.rejected(Rejection.of(Reason.STORE_ERROR, String.valueOf(e.getMessage()))));
        }
    }

    private IntakeResult end(IntakeResult result) {
        outcomes.get(result.outcome()).increment();
        if (result.outcome() == IntakeResult.Outcome.REJECTED) {
            reasons.get(result.reason().orElseThrow()).increment();
        }
        switch (result.outcome()) {
            case ACCEPTED:
                LOGGER.info("received TLS-RPT report {} from {}", result.report().orElseThrow().reportId(),
                    result.report().orElseThrow().organizationName());
                break;
            case DUPLICATE:
                LOGGER.info("TLS-RPT report received again: {}", result.rejection().orElseThrow().detail());
                break;
            default:
                Rejection rejection = result.rejection().orElseThrow();
                if (rejection.reason() == Reason.STORE_FULL) {
                    LOGGER.warn("TLS-RPT report refused, the store is full: {}", rejection.detail());
                } else {
                    LOGGER.info("TLS-RPT report refused ({}): {}", rejection.reason(), rejection.detail());
                }
        }
        tell(result);
        return result;
    }

    /** A listener that throws must not change what the sender is told: the report is kept or refused already. */
    private void tell(IntakeResult result) {
        try {
            if (result.outcome() == IntakeResult.Outcome.ACCEPTED) {
                listener.accepted(result.report().orElseThrow());
            } else {
                listener.rejected(result.reason().orElseThrow());
            }
        } catch (RuntimeException e) {
            LOGGER.warn("intake listener {} failed", listener, e);
        }
    }

    /**
     * How many reports ended each way so far, in a new map: {@code accepted}, {@code duplicate}, {@code rejected},
     * and the rejected by reason ({@code rejected.TOO_LARGE}, ...).
     */
    public Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        outcomes.forEach((outcome, count) -> counts.put(outcome.name().toLowerCase(Locale.ROOT), count.sum()));
        reasons.forEach((reason, count) -> {
            if (reason != Reason.DUPLICATE) {
                counts.put("rejected." + reason.name(), count.sum());
            }
        });
        return counts;
    }

    @Override
    public String toString() {
        return "ReportIntake " + store;
    }
}

package io.github.jamesmtasts.tlsrpt.receiving;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** What became of a received report: kept, kept before, or refused with a {@link Reason}. */
public final class IntakeResult {
    /** The three ends of a report. */
    public enum Outcome {
        ACCEPTED, DUPLICATE, REJECTED
    }

    /** RFC 8460 §5.4 wants a 2xx for a report taken; 201 says it was created here. */
    private static final int CREATED = 201;

    private final Outcome outcome;
    private final ReceivedReport report;
    private final Rejection rejection;

    private IntakeResult(Outcome outcome, ReceivedReport report, Rejection rejection) {
        this.outcome = outcome;
        this.report = report;
        this.rejection = rejection;
    }

    public static IntakeResult accepted(ReceivedReport report) {
        return new IntakeResult(Outcome.ACCEPTED, Objects.requireNonNull(report, "report"), null);
    }

    public static IntakeResult duplicate(ReceivedReport report) {
        return new IntakeResult(Outcome.DUPLICATE, Objects.requireNonNull(report, "report"),
            Rejection.of(Reason.DUPLICATE, "report-id " + report.reportId() + " was received before"));
    }

    public static IntakeResult rejected(Rejection rejection) {
        if (rejection.reason() == Reason.DUPLICATE) {
            throw new IllegalArgumentException("a duplicate is no rejection: " + rejection);
        }
        return new IntakeResult(Outcome.REJECTED, null, rejection);
    }

    public static IntakeResult rejected(Reason reason, String detail) {
        return rejected(Rejection.of(reason, detail));
    }

    public Outcome outcome() {
        return outcome;
    }

    /** Whether the sender may take the report as delivered: it was kept now or before. */
    public boolean isSuccess() {
        return outcome != Outcome.REJECTED;
    }

    /** The report read, unless it was refused. */
    public Optional<ReceivedReport> report() {
        return Optional.ofNullable(report);
    }

    /** Why a report was not kept now: refused, or {@link Reason#DUPLICATE}. */
    public Optional<Reason> reason() {
        return rejection().map(Rejection::reason);
    }

    public Optional<Rejection> rejection() {
        return Optional.ofNullable(rejection);
    }

    /** What the HTTPS endpoint answers (RFC 8460 §5.4): 201 kept, 200 kept before, else the reason's status. */
    public int httpStatus() {
        return outcome == Outcome.ACCEPTED ? CREATED : rejection.reason().httpStatus();
    }

    @Override
    public String toString() {
        return outcome == Outcome.ACCEPTED ? "accepted " + report.reportId() : outcome.name().toLowerCase(Locale.ROOT) + " " + rejection;
    }
}

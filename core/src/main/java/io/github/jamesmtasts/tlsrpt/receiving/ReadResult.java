package io.github.jamesmtasts.tlsrpt.receiving;

import java.util.Objects;
import java.util.Optional;

/** What {@link ReportReader} made of a body: a report with its JSON, or a {@link Rejection}. */
public final class ReadResult {
    private final ReceivedReport report;
    private final byte[] json;
    private final Rejection rejection;

    private ReadResult(ReceivedReport report, byte[] json, Rejection rejection) {
        this.report = report;
        this.json = json;
        this.rejection = rejection;
    }

    static ReadResult accepted(ReceivedReport report, byte[] json) {
        return new ReadResult(Objects.requireNonNull(report, "report"), json.clone(), null);
    }

    static ReadResult rejected(Rejection rejection) {
        return new ReadResult(null, null, Objects.requireNonNull(rejection, "rejection"));
    }

    public boolean isAccepted() {
        return report != null;
    }

    public Optional<ReceivedReport> report() {
        return Optional.ofNullable(report);
    }

    /** The report's JSON, inflated if it came gzip-compressed; empty when rejected. */
    public Optional<byte[]> json() {
        return Optional.ofNullable(json).map(byte[]::clone);
    }

    public Optional<Rejection> rejection() {
        return Optional.ofNullable(rejection);
    }

    @Override
    public String toString() {
        return isAccepted() ? "read " + report.reportId() : "rejected " + rejection;
    }
}

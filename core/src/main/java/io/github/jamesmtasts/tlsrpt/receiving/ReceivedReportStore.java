package io.github.jamesmtasts.tlsrpt.receiving;

import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** Where received reports are kept, once per report-id (RFC 8460 §4.4: a report-id is unique). */
public interface ReceivedReportStore {
    /**
     * Keeps a report and the JSON it was read from, unless one of the same report-id is kept already.
     *
     * @return false when a report of that report-id is kept already (this one is not kept)
     * @throws StoreFullException when the store may take no more
     * @throws IOException when the report could not be kept
     */
    boolean add(ReceivedReport report, byte[] json) throws IOException;

    /**
     * The reports with a policy of {@code policyDomain} (case-insensitive, a trailing dot ignored) whose range starts
     * on a UTC day from {@code fromUtc} to {@code toUtc}, both included; by start, then report-id.
     */
    List<ReceivedReport> reports(String policyDomain, LocalDate fromUtc, LocalDate toUtc) throws IOException;

    /** The JSON a kept report was read from. */
    Optional<byte[]> raw(String reportId) throws IOException;
}

package io.github.jamesmtasts.tlsrpt;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/** What DNS says about a policy domain's TLS-RPT record (RFC 8460 §3): a record, none, or no answer yet. */
public final class TlsRptDiscovery {
    /** The outcome of a look-up. */
    public enum Outcome {
        /** Exactly one valid record: reports go to its destinations. */
        FOUND,
        /** No TXT record starts with {@code v=TLSRPTv1;}: the domain wants no reports. */
        NO_RECORD,
        /** Several records start with {@code v=TLSRPTv1;}: RFC 8460 §3 says to assume none. */
        MULTIPLE_RECORDS,
        /** The one record is not valid: no report. */
        INVALID_RECORD,
        /** DNS gave no answer (SERVFAIL, time-out): ask again later and keep the counts meanwhile. */
        TEMPORARY_FAILURE
    }

    /** RFC 8460 §3: records that do not begin with this are discarded. */
    private static final String RECORD_PREFIX = TlsRptRecord.VERSION + ";";

    private final Outcome outcome;
    private final TlsRptRecord record;
    private final RecordError error;
    private final String detail;

    private TlsRptDiscovery(Outcome outcome, TlsRptRecord record, RecordError error, String detail) {
        this.outcome = outcome;
        this.record = record;
        this.error = error;
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    /**
     * RFC 8460 §3 record-set rules, applied to every TXT record found at {@code _smtp._tls.<domain>}
     * (each record's strings already joined without spaces): records not beginning with
     * {@code v=TLSRPTv1;} are discarded, and unless exactly one remains the domain has no TLS-RPT.
     */
    public static TlsRptDiscovery fromTxtRecords(List<String> txtRecords) {
        List<String> candidates = txtRecords.stream().filter(text -> text.startsWith(RECORD_PREFIX)).collect(Collectors.toList());
        if (candidates.isEmpty()) {
            return new TlsRptDiscovery(Outcome.NO_RECORD, null, null, "no TXT record starts with " + RECORD_PREFIX);
        }
        if (candidates.size() > 1) {
            return new TlsRptDiscovery(Outcome.MULTIPLE_RECORDS, null, null, candidates.size() + " TLS-RPT records");
        }
        try {
            return new TlsRptDiscovery(Outcome.FOUND, TlsRptRecord.parse(candidates.get(0)), null, "");
        } catch (InvalidRecordException e) {
            return new TlsRptDiscovery(Outcome.INVALID_RECORD, null, e.error(), e.getMessage());
        }
    }

    public static TlsRptDiscovery noRecord(String detail) {
        return new TlsRptDiscovery(Outcome.NO_RECORD, null, null, detail);
    }

    public static TlsRptDiscovery temporaryFailure(String detail) {
        return new TlsRptDiscovery(Outcome.TEMPORARY_FAILURE, null, null, detail);
    }

    public Outcome outcome() {
        return outcome;
    }

    /** The record, present only when {@link Outcome#FOUND}. */
    public Optional<TlsRptRecord> record() {
        return Optional.ofNullable(record);
    }

    /** Why the one record is invalid, present only when {@link Outcome#INVALID_RECORD}. */
    public Optional<RecordError> error() {
        return Optional.ofNullable(error);
    }

    /** Words for the log; empty when found. */
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return outcome == Outcome.FOUND ? record.toString() : outcome + " (" + detail + ")";
    }
}

package io.github.jamesmtasts.mtasts;

import io.github.jamesmtasts.dns.DnsAnswer;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Policy discovery (RFC 8461 §3.1): what the TXT records at {@code _mta-sts.<domain>} say. Either
 * exactly one valid record, so the domain announces a policy; or no available policy, for a named
 * reason; or no answer from DNS, which is worth trying again.
 */
public final class StsDiscovery {
    /** The three outcomes of discovery. */
    public enum Outcome {
        /** Exactly one valid {@code v=STSv1} record. */
        RECORD,
        /** The domain has no available policy (RFC 8461 §3.1 "MUST assume ... does not have an available policy"). */
        NO_POLICY,
        /** DNS gave no answer (SERVFAIL, time-out): neither "a policy" nor "no policy" is known. */
        TEMPORARY_FAILURE
    }

    /** Why there is no available policy. */
    public enum Reason {
        /** No TXT records at the name (NXDOMAIN or NODATA). */
        NO_TXT_RECORD,
        /** TXT records, but none begins with {@code v=STSv1;}. */
        NO_STS_RECORD,
        /** More than one record begins with {@code v=STSv1;}. */
        MULTIPLE_STS_RECORDS,
        /** The one record is invalid ({@link StsRecord.Problem}). */
        INVALID_STS_RECORD
    }

    private final Outcome outcome;
    private final StsRecord record;
    private final Reason reason;
    private final String detail;

    private StsDiscovery(Outcome outcome, StsRecord record, Reason reason, String detail) {
        this.outcome = outcome;
        this.record = record;
        this.reason = reason;
        this.detail = detail;
    }

    /** The query name of a domain's record: {@code _mta-sts.<domain>}. */
    public static String recordName(String domain) {
        return "_mta-sts." + domain;
    }

    /**
     * RFC 8461 §3.1: drops the TXT records that do not begin with {@code v=STSv1;}; exactly one must
     * be left, and be valid.
     */
    public static StsDiscovery of(DnsAnswer<String> answer) {
        if (answer.status() == DnsAnswer.Status.TEMPORARY_FAILURE) {
            return new StsDiscovery(Outcome.TEMPORARY_FAILURE, null, null, answer.detail());
        }
        if (!answer.found()) {
            return noPolicy(Reason.NO_TXT_RECORD, answer.detail());
        }
        List<String> candidates = answer.records().stream().filter(StsRecord::isCandidate).collect(Collectors.toList());
        if (candidates.isEmpty()) {
            return noPolicy(Reason.NO_STS_RECORD, answer.records().size() + " TXT record(s), none begins with \"v=STSv1;\"");
        }
        if (candidates.size() > 1) {
            return noPolicy(Reason.MULTIPLE_STS_RECORDS, candidates.size() + " records begin with \"v=STSv1;\": " + candidates);
        }
        Parsed<StsRecord, StsRecord.Problem> parsed = StsRecord.parse(candidates.get(0));
        return parsed.value()
            .map(valid -> new StsDiscovery(Outcome.RECORD, valid, null, ""))
            .orElseGet(() -> noPolicy(Reason.INVALID_STS_RECORD,
                parsed.reason().orElseThrow() + ": " + parsed.detail() + " in \"" + candidates.get(0) + "\""));
    }

    private static StsDiscovery noPolicy(Reason reason, String detail) {
        return new StsDiscovery(Outcome.NO_POLICY, null, reason, detail);
    }

    public Outcome outcome() {
        return outcome;
    }

    /** The record, when the outcome is {@link Outcome#RECORD}. */
    public Optional<StsRecord> record() {
        return Optional.ofNullable(record);
    }

    /** Why there is no policy, when the outcome is {@link Outcome#NO_POLICY}. */
    public Optional<Reason> reason() {
        return Optional.ofNullable(reason);
    }

    /** What DNS said, for logs; empty for a record. */
    public String detail() {
        return detail;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StsDiscovery)) {
            return false;
        }
        StsDiscovery other = (StsDiscovery) o;
        return outcome == other.outcome && Objects.equals(record, other.record) && reason == other.reason
            && detail.equals(other.detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(outcome, record, reason, detail);
    }

    @Override
    public String toString() {
        return outcome == Outcome.RECORD ? record.toString() : outcome + (reason == null ? "" : " " + reason) + " (" + detail + ")";
    }
}

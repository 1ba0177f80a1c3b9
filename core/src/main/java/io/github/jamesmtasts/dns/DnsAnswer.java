package io.github.jamesmtasts.dns;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The answer to one DNS question: the records found, or why there are none.
 *
 * @param <T> the type of one record's data
 */
public final class DnsAnswer<T> {
    /** How a question was answered. */
    public enum Status {
        /** At least one record of the asked type. */
        FOUND,
        /** The name does not exist (NXDOMAIN, RFC 8020). */
        NO_SUCH_DOMAIN,
        /** The name exists but has no records of the asked type (NODATA, RFC 2308 §2.2). */
        NO_RECORDS,
        /** No answer could be had: SERVFAIL, a time-out, a network error. Worth trying again later. */
        TEMPORARY_FAILURE
    }

    private final Status status;
    private final List<T> records;
    private final Duration ttl;
    private final String detail;

    private DnsAnswer(Status status, List<T> records, Duration ttl, String detail) {
        this.status = status;
        this.records = List.copyOf(records);
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    /** Records whose time to live is not known (treated as zero). */
    public static <T> DnsAnswer<T> found(List<T> records) {
        return found(records, Duration.ZERO);
    }

    /** Records that may be reused for {@code ttl}, the smallest TTL among them. */
    public static <T> DnsAnswer<T> found(List<T> records, Duration ttl) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("a found answer has records");
        }
        return new DnsAnswer<>(Status.FOUND, records, ttl, "");
    }

    public static <T> DnsAnswer<T> noSuchDomain(String detail) {
        return new DnsAnswer<>(Status.NO_SUCH_DOMAIN, List.of(), Duration.ZERO, detail);
    }

    public static <T> DnsAnswer<T> noRecords(String detail) {
        return new DnsAnswer<>(Status.NO_RECORDS, List.of(), Duration.ZERO, detail);
    }

    public static <T> DnsAnswer<T> temporaryFailure(String detail) {
        return new DnsAnswer<>(Status.TEMPORARY_FAILURE, List.of(), Duration.ZERO, detail);
    }

    public Status status() {
        return status;
    }

    /** The records; empty unless {@link Status#FOUND}. */
    public List<T> records() {
        return records;
    }

    /**
     * How long the records may be reused: the smallest TTL among them, as DNS gave it (an answer from
     * dnsjava's cache carries the TTL it was received with). Zero for an answer without records.
     */
    public Duration ttl() {
        return ttl;
    }

    /** Why there are no records, for logs and reports; empty when found. */
    public String detail() {
        return detail;
    }

    public boolean found() {
        return status == Status.FOUND;
    }

    /** Whether the name has no such records for sure (NXDOMAIN or NODATA), as opposed to a failure. */
    public boolean absent() {
        return status == Status.NO_SUCH_DOMAIN || status == Status.NO_RECORDS;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DnsAnswer)) {
            return false;
        }
        DnsAnswer<?> other = (DnsAnswer<?>) o;
        return status == other.status && records.equals(other.records) && ttl.equals(other.ttl) && detail.equals(other.detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, records, ttl, detail);
    }

    @Override
    public String toString() {
        return status == Status.FOUND ? records.toString() : status + " (" + detail + ")";
    }
}

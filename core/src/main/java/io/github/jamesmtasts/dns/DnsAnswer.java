package io.github.jamesmtasts.dns;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to one DNS question: the records found, or why there are none, and whether DNSSEC proved it
 * ({@link Dnssec}).
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

    /**
     * What DNSSEC says of the answer (RFC 4035 §4.3), as far as this server can know it: only a validating
     * resolver whose AD bit is trusted tells secure from insecure (RFC 6698 §4.1, RFC 7672 §2.1). A bogus answer
     * reaches us as SERVFAIL, a {@link Status#TEMPORARY_FAILURE}.
     */
    public enum Dnssec {
        /** Validated: a trusted resolver set the AD bit. */
        SECURE,
        /** Not signed (an insecure delegation): a trusted resolver answered without the AD bit. */
        INSECURE,
        /** Not known: the resolver's AD bit is not trusted, or nobody asked for it. */
        INDETERMINATE
    }

    private final Status status;
    private final List<T> records;
    private final Duration ttl;
    private final String detail;
    private final Dnssec dnssec;
    private final String name;

    private DnsAnswer(Status status, List<T> records, Duration ttl, String detail, Dnssec dnssec, String name) {
        this.status = status;
        this.records = List.copyOf(records);
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.detail = Objects.requireNonNull(detail, "detail");
        this.dnssec = Objects.requireNonNull(dnssec, "dnssec");
        this.name = name;
    }

    private DnsAnswer(Status status, List<T> records, Duration ttl, String detail) {
        this(status, records, ttl, detail, Dnssec.INDETERMINATE, null);
    }

    /** The same answer, with what DNSSEC says of it and the name its records are at after any CNAMEs. */
    public DnsAnswer<T> secured(Dnssec state, String canonicalName) {
        return new DnsAnswer<>(status, records, ttl, detail, state, canonicalName);
    }

    /** What DNSSEC says of this answer; {@link Dnssec#INDETERMINATE} unless a trusted resolver said. */
    public Dnssec dnssec() {
        return dnssec;
    }

    /** Whether the answer (records, or their absence) is proven by DNSSEC. */
    public boolean secure() {
        return dnssec == Dnssec.SECURE;
    }

    /** The name the records are at, after the CNAMEs DNS followed (RFC 7672 §2.2.3), when known. */
    public Optional<String> canonicalName() {
        return Optional.ofNullable(name);
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
        return noSuchDomain(detail, Duration.ZERO);
    }

    /** NXDOMAIN that may be reused for {@code ttl} (RFC 2308 §5: the SOA's TTL and MINIMUM, the smaller). */
    public static <T> DnsAnswer<T> noSuchDomain(String detail, Duration ttl) {
        return new DnsAnswer<>(Status.NO_SUCH_DOMAIN, List.of(), ttl, detail);
    }

    public static <T> DnsAnswer<T> noRecords(String detail) {
        return noRecords(detail, Duration.ZERO);
    }

    /** NODATA that may be reused for {@code ttl} (RFC 2308 §5). */
    public static <T> DnsAnswer<T> noRecords(String detail, Duration ttl) {
        return new DnsAnswer<>(Status.NO_RECORDS, List.of(), ttl, detail);
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
     * dnsjava's cache carries the TTL it was received with). For an answer without records, how long its absence
     * may be reused, zero when not known.
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
        return status == other.status && records.equals(other.records) && ttl.equals(other.ttl) && detail.equals(other.detail)
            && dnssec == other.dnssec && Objects.equals(name, other.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, records, ttl, detail, dnssec, name);
    }

    @Override
    public String toString() {
        return (status == Status.FOUND ? records.toString() : status + " (" + detail + ")")
            + (dnssec == Dnssec.INDETERMINATE ? "" : " " + dnssec.name().toLowerCase(Locale.ROOT));
    }
}

package io.github.jamesmtasts.delivery;

import io.github.jamesmtasts.dane.HostTlsa;
import io.github.jamesmtasts.dane.TlsaRecord;
import io.github.jamesmtasts.dns.DnsAnswer;
import io.github.jamesmtasts.result.Failure;
import io.github.jamesmtasts.result.ReportedPolicy;
import io.github.jamesmtasts.result.ResultType;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * What DANE says of one MX host (RFC 7672 §2.2), found by asking for its TLSA records once its MX RRset and its
 * addresses were proven secure:
 * <ul>
 *   <li>{@link Kind#USABLE}: secure TLSA records, at least one usable: STARTTLS and a matching certificate;</li>
 *   <li>{@link Kind#UNUSABLE}: secure TLSA records, none usable: STARTTLS, no authentication ({@code tlsa-invalid});</li>
 *   <li>{@link Kind#BOGUS}: the TLSA look-up failed (a validating resolver's SERVFAIL): never "no DANE" (§2.1.1), the
 *       host waits ({@code dnssec-invalid});</li>
 *   <li>{@link Kind#NONE}: no TLSA records, or only insecure ones: DANE does not apply to the host.</li>
 * </ul>
 * Immutable.
 */
public final class DaneState {
    /** The {@code failure-reason-code} of a TLSA RRset that has records but none usable. */
    static final String ALL_UNUSABLE = "all-unusable-records";
    /** RFC 5321 §4.5.4: MX hosts take mail on port 25, where their TLSA records are published. */
    private static final int SMTP_PORT = 25;

    /** The four states of RFC 7672 §2.2 this class opens with. */
    public enum Kind { USABLE, UNUSABLE, BOGUS, NONE }

    private final Kind kind;
    private final String hostname;
    private final HostTlsa tlsa;
    private final String detail;

    private DaneState(Kind kind, String hostname, HostTlsa tlsa, String detail) {
        this.kind = kind;
        this.hostname = hostname;
        this.tlsa = tlsa;
        this.detail = detail;
    }

    /**
     * The DANE state of an MX host whose secure addresses are {@code addresses}. RFC 7672 §2.2.3: when DNSSEC proved
     * the host name to be an alias, the TLSA records are first sought at the name it stands for, then at the host
     * name itself.
     */
    public static CompletableFuture<DaneState> of(MxDirectory directory, String hostname, DnsAnswer<InetAddress> addresses) {
        String canonical = addresses.canonicalName().orElse(hostname);
        CompletableFuture<DaneState> atCanonical = tlsa(directory, hostname, canonical);
        if (canonical.equals(hostname)) {
            return atCanonical;
        }
        return atCanonical.thenCompose(state -> state.kind == Kind.NONE ? tlsa(directory, hostname, hostname)
            : CompletableFuture.completedFuture(state));
    }

    private static CompletableFuture<DaneState> tlsa(MxDirectory directory, String hostname, String baseDomain) {
        String owner = HostTlsa.ownerName(baseDomain, SMTP_PORT);
        return directory.tlsa(owner).thenApply(answer -> {
            if (answer.status() == DnsAnswer.Status.TEMPORARY_FAILURE) {
                return new DaneState(Kind.BOGUS, hostname, null, "TLSA look-up of " + owner + " failed: " + answer.detail());
            }
            if (!answer.found() || !answer.secure()) {
                // RFC 7672 §2.2: insecure TLSA records are as none.
                return new DaneState(Kind.NONE, hostname, null, owner + ": " + answer);
            }
            List<TlsaRecord> records = answer.records().stream().map(TlsaRecord::of).collect(Collectors.toList());
            // RFC 7672 §2.2.3: a CNAME at the TLSA owner name itself does not change the base domain.
            HostTlsa found = HostTlsa.of(hostname, baseDomain, records);
            return new DaneState(found.authenticates() ? Kind.USABLE : Kind.UNUSABLE, hostname, found, found.toString());
        });
    }

    public Kind kind() {
        return kind;
    }

    /** The host's TLSA records, for {@link Kind#USABLE} and {@link Kind#UNUSABLE}. */
    public Optional<HostTlsa> tlsa() {
        return Optional.ofNullable(tlsa);
    }

    /** The policy sessions under this state are reported with (RFC 8460 §4.4: type {@code tlsa}, the records). */
    public ReportedPolicy reportedPolicy() {
        return ReportedPolicy.tlsa(tlsa == null ? List.of() : tlsa.policyStrings());
    }

    /** The DNS-side failure of this state, for {@link Kind#UNUSABLE} and {@link Kind#BOGUS}. */
    public Optional<Failure> failure() {
        switch (kind) {
            case BOGUS:
                return Optional.of(Failure.of(ResultType.DNSSEC_INVALID, "MX host " + hostname + ": " + detail));
            case UNUSABLE:
                return Optional.of(Failure.of(ResultType.TLSA_INVALID,
                    "MX host " + hostname + " publishes TLSA records, none usable for SMTP (RFC 7672 §3.1): " + detail, ALL_UNUSABLE));
            default:
                return Optional.empty();
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DaneState)) {
            return false;
        }
        DaneState other = (DaneState) o;
        return kind == other.kind && hostname.equals(other.hostname) && Objects.equals(tlsa, other.tlsa) && detail.equals(other.detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, hostname, tlsa, detail);
    }

    @Override
    public String toString() {
        return "DANE " + kind.name().toLowerCase(Locale.ROOT) + " (" + detail + ")";
    }
}

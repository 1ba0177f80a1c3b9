package io.github.jamesmtasts.dane;

import io.github.jamesmtasts.dns.HostNames;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The secure TLSA RRset of one MX host (RFC 7672 §2.2) and the names the host's certificate may carry: the MX host
 * name and the TLSA base domain, which differs when the host name is a CNAME that DNSSEC proved (§2.2.3). Immutable.
 */
public final class HostTlsa {
    private final String hostname;
    private final String baseDomain;
    private final List<TlsaRecord> records;

    private HostTlsa(String hostname, String baseDomain, List<TlsaRecord> records) {
        this.hostname = HostNames.normalize(hostname);
        this.baseDomain = HostNames.normalize(baseDomain);
        this.records = List.copyOf(records);
    }

    /**
     * @param hostname the MX host name, as the MX record gives it
     * @param baseDomain the name the TLSA records were found for ({@code _25._tcp.<baseDomain>})
     * @param records every record of the RRset, usable or not
     */
    public static HostTlsa of(String hostname, String baseDomain, List<TlsaRecord> records) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("a TLSA RRset has at least one record");
        }
        return new HostTlsa(hostname, baseDomain, records);
    }

    /** The name a TLSA RRset for SMTP stands at (RFC 7672 §2.2.3): {@code _25._tcp.<host>}. */
    public static String ownerName(String host, int port) {
        return "_" + port + "._tcp." + host;
    }

    public String hostname() {
        return hostname;
    }

    /** The TLSA base domain; the SNI name of a DANE session (RFC 7672 §8.1). */
    public String baseDomain() {
        return baseDomain;
    }

    /** Every record of the RRset, as published. */
    public List<TlsaRecord> records() {
        return records;
    }

    /** The records this client can use (RFC 7672 §3.1); none means "encrypt, do not authenticate" (§2.2). */
    public List<TlsaRecord> usable() {
        return records.stream().filter(TlsaRecord::usable).collect(Collectors.toList());
    }

    /** Whether at least one record is usable. */
    public boolean authenticates() {
        return records.stream().anyMatch(TlsaRecord::usable);
    }

    /**
     * The names a DANE-TA certificate must match one of (RFC 7672 §3.2.2): the TLSA base domain and the MX host
     * name. (DANE-EE certificates are not checked for names at all, §3.1.1.)
     */
    public List<String> referenceIdentifiers() {
        return hostname.equals(baseDomain) ? List.of(hostname) : List.of(baseDomain, hostname);
    }

    /** The records in presentation form, one string each: RFC 8460 §4.4 {@code policy-string} of a {@code tlsa} policy. */
    public List<String> policyStrings() {
        return records.stream().map(TlsaRecord::toString).collect(Collectors.toList());
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HostTlsa)) {
            return false;
        }
        HostTlsa other = (HostTlsa) o;
        return hostname.equals(other.hostname) && baseDomain.equals(other.baseDomain) && records.equals(other.records);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hostname, baseDomain, records);
    }

    @Override
    public String toString() {
        return "TLSA of " + baseDomain + (baseDomain.equals(hostname) ? "" : " (MX " + hostname + ")") + " " + records;
    }
}

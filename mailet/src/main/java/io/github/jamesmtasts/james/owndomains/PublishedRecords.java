package io.github.jamesmtasts.james.owndomains;

import io.github.jamesmtasts.dns.DnsAnswer;
import io.github.jamesmtasts.dns.DnsClient;
import io.github.jamesmtasts.mtasts.StsDiscovery;
import io.github.jamesmtasts.publishing.PublishedPolicy;
import io.github.jamesmtasts.tlsrpt.ReportUri;
import io.github.jamesmtasts.tlsrpt.TlsRptDiscovery;

import java.util.List;
import java.util.Optional;

/**
 * The DNS records a James domain publishes for its policy and its reports, and whether DNS has them now: the
 * {@code _mta-sts} TXT record with the served policy's {@code id} (RFC 8461 §3.1; a stale {@code id} after a
 * policy change keeps senders on the old policy until its {@code max_age} ends), and the {@code _smtp._tls}
 * record naming where reports go (RFC 8460 §3): mail to {@code <localPart>@<domain>}, and HTTPS to the policy
 * listener when James serves one.
 */
public final class PublishedRecords {
    private final String stsName;
    private final String stsValue;
    private final List<String> stsFound;
    private final boolean stsMatches;
    private final String tlsRptName;
    private final String tlsRptValue;
    private final boolean tlsRptFound;

    private PublishedRecords(String stsName, String stsValue, List<String> stsFound, boolean stsMatches,
                             String tlsRptName, String tlsRptValue, boolean tlsRptFound) {
        this.stsName = stsName;
        this.stsValue = stsValue;
        this.stsFound = List.copyOf(stsFound);
        this.stsMatches = stsMatches;
        this.tlsRptName = tlsRptName;
        this.tlsRptValue = tlsRptValue;
        this.tlsRptFound = tlsRptFound;
    }

    /**
     * Looks the two records up now, past any cache.
     *
     * @param reportUri the HTTPS {@code rua} of the policy listener, when James serves one
     */
    public static PublishedRecords check(DnsClient dns, PublishedPolicy policy, String reportLocalPart, Optional<String> reportUri) {
        String stsName = StsDiscovery.recordName(policy.domain());
        DnsAnswer<String> sts = dns.txtUncached(stsName).join();
        Optional<String> publishedId = StsDiscovery.of(sts).record().map(record -> record.id());
        String tlsRptName = "_smtp._tls." + policy.domain();
        String rua = "mailto:" + reportLocalPart + "@" + policy.domain() + reportUri.map(uri -> "," + uri).orElse("");
        DnsAnswer<String> tlsRpt = dns.txtUncached(tlsRptName).join();
        String mailbox = reportLocalPart + "@" + policy.domain();
        boolean tlsRptFound = TlsRptDiscovery.fromTxtRecords(tlsRpt.records()).record()
            .map(record -> record.destinations().stream().anyMatch(uri -> uri.scheme() == ReportUri.Scheme.MAILTO
                ? uri.mailbox().equalsIgnoreCase(mailbox) : reportUri.map(uri.uri().toString()::equals).orElse(false)))
            .orElse(false);
        return new PublishedRecords(stsName, policy.txtRecord(), sts.records(), publishedId.map(policy.id()::equals).orElse(false),
            tlsRptName, "v=TLSRPTv1; rua=" + rua, tlsRptFound);
    }

    public String stsName() {
        return stsName;
    }

    /** The TXT record to publish at {@link #stsName()}. */
    public String stsValue() {
        return stsValue;
    }

    /** The TXT records DNS has there now. */
    public List<String> stsFound() {
        return stsFound;
    }

    /** Whether DNS publishes exactly the served policy's {@code id}. */
    public boolean stsMatches() {
        return stsMatches;
    }

    public String tlsRptName() {
        return tlsRptName;
    }

    public String tlsRptValue() {
        return tlsRptValue;
    }

    /** Whether DNS has a TLS-RPT record naming one of James's {@code rua}s. */
    public boolean tlsRptFound() {
        return tlsRptFound;
    }
}

package io.github.jamesmtasts.tlsrpt;

import io.github.jamesmtasts.dns.DnsAnswer;
import io.github.jamesmtasts.dns.DnsClient;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** Finds a policy domain's TLS-RPT record in DNS, at {@code _smtp._tls.<domain>} (RFC 8460 §3). */
public final class TlsRptResolver {
    private static final String PREFIX = "_smtp._tls.";

    private final DnsClient dns;

    public TlsRptResolver(DnsClient dns) {
        this.dns = Objects.requireNonNull(dns, "dns");
    }

    /** Never completes exceptionally: a DNS failure is {@link TlsRptDiscovery.Outcome#TEMPORARY_FAILURE}. */
    public CompletableFuture<TlsRptDiscovery> lookup(String policyDomain) {
        return dns.txt(PREFIX + policyDomain).thenApply(TlsRptResolver::discovery);
    }

    private static TlsRptDiscovery discovery(DnsAnswer<String> answer) {
        if (answer.found()) {
            return TlsRptDiscovery.fromTxtRecords(answer.records());
        }
        return answer.absent() ? TlsRptDiscovery.noRecord(answer.detail()) : TlsRptDiscovery.temporaryFailure(answer.detail());
    }
}

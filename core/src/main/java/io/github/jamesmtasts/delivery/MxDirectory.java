package io.github.jamesmtasts.delivery;

import io.github.jamesmtasts.dns.DnsAnswer;
import io.github.jamesmtasts.dns.DnsClient;
import io.github.jamesmtasts.dns.DnssecClient;
import io.github.jamesmtasts.dns.MxHost;

import org.xbill.DNS.TLSARecord;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The DNS questions delivery asks: a domain's MX hosts, a host's addresses and, for DANE, its TLSA records
 * (RFC 7672 §2), each answer with what DNSSEC says of it.
 */
public interface MxDirectory {
    /** The MX records of a domain, lowest preference first. */
    CompletableFuture<DnsAnswer<MxHost>> mx(String domain);

    /** The addresses of a host, IPv4 first. */
    CompletableFuture<DnsAnswer<InetAddress>> addresses(String host);

    /** The TLSA records at a name ({@code _25._tcp.<host>}). */
    CompletableFuture<DnsAnswer<TLSARecord>> tlsa(String name);

    /**
     * The directory answered by a cached {@link DnsClient}: nothing is known of DNSSEC, so no TLSA record is ever
     * asked for and DANE never applies.
     */
    static MxDirectory of(DnsClient dns) {
        CompletableFuture<DnsAnswer<TLSARecord>> none =
            CompletableFuture.completedFuture(DnsAnswer.noRecords("DNSSEC is not known to this directory"));
        return of(dns::mx, dns::addresses, name -> none);
    }

    /** The directory answered by a {@link DnssecClient}: secure answers when its resolver's AD bit is trusted. */
    static MxDirectory of(DnssecClient dns) {
        return of(dns::mx, dns::addresses, dns::tlsa);
    }

    private static MxDirectory of(Function<String, CompletableFuture<DnsAnswer<MxHost>>> mx,
                                  Function<String, CompletableFuture<DnsAnswer<InetAddress>>> addresses,
                                  Function<String, CompletableFuture<DnsAnswer<TLSARecord>>> tlsa) {
        return new MxDirectory() {
            @Override
            public CompletableFuture<DnsAnswer<MxHost>> mx(String domain) {
                return mx.apply(domain);
            }

            @Override
            public CompletableFuture<DnsAnswer<InetAddress>> addresses(String host) {
                return addresses.apply(host);
            }

            @Override
            public CompletableFuture<DnsAnswer<TLSARecord>> tlsa(String name) {
                return tlsa.apply(name);
            }
        };
    }
}

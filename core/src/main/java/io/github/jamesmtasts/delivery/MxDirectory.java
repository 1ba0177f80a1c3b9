package io.github.jamesmtasts.delivery;

import io.github.jamesmtasts.dns.DnsAnswer;
import io.github.jamesmtasts.dns.DnsClient;
import io.github.jamesmtasts.dns.MxHost;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/** The DNS questions delivery asks: a domain's MX hosts and a host's addresses. */
public interface MxDirectory {
    /** The MX records of a domain, lowest preference first. */
    CompletableFuture<DnsAnswer<MxHost>> mx(String domain);

    /** The addresses of a host, IPv4 first. */
    CompletableFuture<DnsAnswer<InetAddress>> addresses(String host);

    /** The directory answered by a {@link DnsClient}. */
    static MxDirectory of(DnsClient dns) {
        return new MxDirectory() {
            @Override
            public CompletableFuture<DnsAnswer<MxHost>> mx(String domain) {
                return dns.mx(domain);
            }

            @Override
            public CompletableFuture<DnsAnswer<InetAddress>> addresses(String host) {
                return dns.addresses(host);
            }
        };
    }
}

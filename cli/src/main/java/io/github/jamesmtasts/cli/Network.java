package io.github.jamesmtasts.cli;

import io.github.jamesmtasts.assembly.Clients;
import io.github.jamesmtasts.check.CheckClients;
import io.github.jamesmtasts.dns.DnsClient;
import io.github.jamesmtasts.dns.DnssecClient;
import io.github.jamesmtasts.dns.ResolverTrust;
import io.github.jamesmtasts.https.HttpsSettings;
import io.github.jamesmtasts.policy.FetchTimer;
import io.github.jamesmtasts.policy.PolicyFetcher;
import io.github.jamesmtasts.policy.PolicySettings;
import io.github.jamesmtasts.smtp.NettySmtpSender;
import io.github.jamesmtasts.smtp.SmtpSettings;
import org.xbill.DNS.SimpleResolver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import org.xbill.DNS.Lookup;
import org.xbill.DNS.Resolver;

/**
 * The extension's own clients, set up from the command line through the same composition root as the James
 * module ({@link Clients}): DNS through dnsjava (a given server, or the system's), the policy fetcher over the
 * HTTPS client, and the Netty SMTP client for STARTTLS probes, all trusting the JDK's CAs plus {@code --ca-file}.
 * The same code the delivery mailet runs.
 */
final class Network implements CheckClients, AutoCloseable {
    private static final int DNS_PORT = 53;

    private final DnsClient dns;
    private final DnssecClient dnssec;
    private final PolicyFetcher policies;
    private final NettySmtpSender smtp;
    private final Clients clients;

    private Network(Clients clients, DnssecClient dnssec, PolicyFetcher policies, NettySmtpSender smtp) {
        this.dns = clients.dns();
        this.dnssec = dnssec;
        this.clients = clients;
        this.policies = policies;
        this.smtp = smtp;
    }

    /** Reads {@code --dns}, {@code --ca-file}, {@code --timeout}, {@code --helo} and {@code --allow-private-addresses}. */
    static Network from(Arguments arguments) throws UsageException {
        Duration timeout = Main.duration(arguments.one("--timeout").orElse("30s"));
        Optional<Path> caFile = arguments.one("--ca-file").map(Path::of);
        if (caFile.isPresent() && !Files.isReadable(caFile.get())) {
            throw new UsageException("cannot read the CA file " + caFile.get());
        }
        Resolver resolver = arguments.one("--dns").isPresent() ? resolver(arguments.one("--dns").get(), timeout)
            : Lookup.getDefaultResolver();
        DnsClient dns = arguments.one("--dns").isPresent() ? DnsClient.using(resolver) : DnsClient.fromDnsjavaDefaults();
        // DANE (RFC 7672 §2.1): the AD bit of a resolver on loopback only, as in the delivery mailet.
        DnssecClient dnssec = new DnssecClient(resolver, ResolverTrust.of(resolver, Set.of()));
        HttpsSettings https = HttpsSettings.builder()
            .allowPrivateAddresses(arguments.has("--allow-private-addresses"))
            .connectTimeout(timeout)
            .build();
        try {
            Clients clients = Clients.start(dns, caFile, https);
            NettySmtpSender smtp = clients.smtpSender(SmtpSettings.builder(arguments.one("--helo").orElse("localhost"))
                .connectTimeout(timeout).allStepTimeouts(timeout));
            return new Network(clients, dnssec, clients.policyFetcher(PolicySettings.builder().fetchTimeout(timeout).build(), FetchTimer.none()),
                smtp);
        } catch (IOException e) {
            throw new UsageException("cannot use the CA file " + caFile.orElse(null) + ": " + e.getMessage());
        }
    }

    /** {@code --dns IP[:PORT]}, an IPv6 address in brackets when a port follows. */
    private static SimpleResolver resolver(String server, Duration timeout) throws UsageException {
        String host = server;
        int port = DNS_PORT;
        int colon = server.lastIndexOf(':');
        if (colon > 0 && (server.startsWith("[") || server.indexOf(':') == colon)) {
            host = server.substring(0, colon).replace("[", "").replace("]", "");
            try {
                port = Integer.parseInt(server.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new UsageException("--dns needs IP[:PORT], not " + server);
            }
        }
        try {
            if (!host.matches("[0-9a-fA-F.:]+")) {
                throw new UsageException("--dns needs an IP address, not " + server);
            }
            SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(InetAddress.getByName(host), port));
            resolver.setTimeout(timeout);
            return resolver;
        } catch (UnknownHostException e) {
            throw new UsageException("--dns needs an IP address, not " + server);
        }
    }

    @Override
    public DnsClient dns() {
        return dns;
    }

    @Override
    public DnssecClient dnssec() {
        return dnssec;
    }

    @Override
    public PolicyFetcher policies() {
        return policies;
    }

    @Override
    public NettySmtpSender smtp() {
        return smtp;
    }

    @Override
    public void close() {
        smtp.close();
        clients.close();
    }
}

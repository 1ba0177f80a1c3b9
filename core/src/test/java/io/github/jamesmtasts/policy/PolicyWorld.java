package io.github.jamesmtasts.policy;

import io.github.jamesmtasts.assembly.Clients;
import io.github.jamesmtasts.https.HttpsSettings;
import io.github.jamesmtasts.mtasts.StsDiscovery;
import io.github.jamesmtasts.dns.DnsClient;
import io.github.jamesmtasts.https.HttpsClient;
import io.github.jamesmtasts.testkit.LoopbackAddresses;
import io.github.jamesmtasts.testkit.PolicyHost;
import io.github.jamesmtasts.testkit.TestCa;
import io.github.jamesmtasts.testkit.TestDnsServer;

import org.xbill.DNS.Type;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The world a policy engine lives in, all on loopback: a DNS server, a test CA, policy hosts on
 * {@code 127.x.y.z:443} with certificates from it, and an HTTPS client that trusts that CA and may
 * connect to loopback. Records are published with TTL 0 unless a test says otherwise, so each use
 * reaches the DNS server.
 */
final class PolicyWorld implements AutoCloseable {
    static final String POLICY_PATH = PolicyFetcher.WELL_KNOWN_PATH;

    final TestDnsServer dns = TestDnsServer.start(LoopbackAddresses.next(), 0).ttl(Duration.ZERO);
    final TestCa ca = TestCa.create("PolicyWorld CA");
    final MutableClock clock = new MutableClock(Instant.now());
    final DnsClient dnsClient = DnsClient.using(dns.resolver());
    private final Path caPem;
    private final List<AutoCloseable> open = new ArrayList<>();

    PolicyWorld(Path dir) {
        this.caPem = ca.writePem(dir.resolve("ca.pem"));
    }

    /** Settings for tests: short timeouts, the test clock. */
    PolicySettings.Builder settings() {
        return PolicySettings.builder()
            .fetchTimeout(Duration.ofSeconds(3))
            .clock(clock);
    }

    /** A fetcher through a client made as the extension makes it: loopback allowed, the test CA trusted. */
    PolicyFetcher fetcher(PolicySettings settings) {
        try {
            Clients clients = Clients.start(dnsClient, Optional.of(caPem),
                HttpsSettings.builder().allowPrivateAddresses(true).connectTimeout(Duration.ofSeconds(2)).build());
            open.add(clients);
            return clients.policyFetcher(settings, FetchTimer.none());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    PolicyEngine engine(PolicySettings settings, PolicyStore store) {
        PolicyEngine engine = PolicyEngine.start(dnsClient, fetcher(settings), store, settings);
        open.add(engine);
        return engine;
    }

    /** A policy host for {@code mta-sts.<domain>} with a valid certificate, in DNS. */
    PolicyHost host(String domain) {
        return host(domain, ca.issue(PolicyFetcher.policyHost(domain)));
    }

    /** A policy host for {@code mta-sts.<domain>} presenting the given certificate, in DNS. */
    PolicyHost host(String domain, TestCa.Issued certificate) {
        PolicyHost host = PolicyHost.start(LoopbackAddresses.next(), certificate);
        open.add(host);
        dns.a(PolicyFetcher.policyHost(domain), host.address().getHostAddress());
        return host;
    }

    /** Publishes {@code v=STSv1; id=<id>;} at {@code _mta-sts.<domain>}, replacing the records there. */
    void publish(String domain, String id) {
        dns.remove(StsDiscovery.recordName(domain), Type.TXT);
        dns.txt(StsDiscovery.recordName(domain), "v=STSv1; id=" + id + ";");
    }

    static String policy(String mode, long maxAge, String... mx) {
        StringBuilder text = new StringBuilder("version: STSv1\nmode: " + mode + "\n");
        for (String host : mx) {
            text.append("mx: ").append(host).append('\n');
        }
        return text.append("max_age: ").append(maxAge).append('\n').toString();
    }

    @Override
    public void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        dns.close();
    }
}

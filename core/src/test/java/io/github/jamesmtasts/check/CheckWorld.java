package io.github.jamesmtasts.check;

import io.github.jamesmtasts.assembly.Clients;
import io.github.jamesmtasts.dns.DnsClient;
import io.github.jamesmtasts.dns.DnssecClient;
import io.github.jamesmtasts.dns.ResolverTrust;
import io.github.jamesmtasts.https.HttpsSettings;
import io.github.jamesmtasts.mtasts.Policy;
import io.github.jamesmtasts.mtasts.PolicyParser;
import io.github.jamesmtasts.policy.FetchTimer;
import io.github.jamesmtasts.policy.PolicyFetcher;
import io.github.jamesmtasts.policy.PolicySettings;
import io.github.jamesmtasts.smtp.NettySmtpSender;
import io.github.jamesmtasts.smtp.SmtpSettings;
import io.github.jamesmtasts.testkit.LoopbackAddresses;
import io.github.jamesmtasts.testkit.MxServer;
import io.github.jamesmtasts.testkit.PolicyHost;
import io.github.jamesmtasts.testkit.TestCa;
import io.github.jamesmtasts.testkit.TestDnsServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A domain's world on loopback for {@link DomainCheck}: a DNS server, a test CA, a policy host on port 443 and MX
 * servers on port 25, and the extension's clients trusting that CA and allowed to reach loopback. DNSSEC is not
 * trusted here (DANE is the cli's DaneCheckTest's business).
 */
public final class CheckWorld implements AutoCloseable {

    public final TestDnsServer dns = TestDnsServer.start(LoopbackAddresses.next(), 0).ttl(Duration.ZERO);
    public final TestCa ca = TestCa.create("CheckWorld CA");
    public final String domain = "d" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36) + ".test";
    private final Clients clients;
    private final PolicyFetcher policies;
    private final NettySmtpSender smtp;
    private final DnssecClient dnssec = new DnssecClient(dns.resolver(), ResolverTrust.of(false, "not under test"));
    private final List<AutoCloseable> open = new ArrayList<>();

    public CheckWorld(Path directory) {
        try {
            clients = Clients.start(DnsClient.using(dns.resolver()), Optional.of(ca.writePem(directory.resolve("ca.pem"))),
                HttpsSettings.builder().allowPrivateAddresses(true).connectTimeout(Duration.ofSeconds(2)).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        policies = clients.policyFetcher(PolicySettings.builder().fetchTimeout(Duration.ofSeconds(3)).build(), FetchTimer.none());
        smtp = clients.smtpSender(SmtpSettings.builder("client.test").connectTimeout(Duration.ofSeconds(3))
            .allStepTimeouts(Duration.ofSeconds(3)));
    }

    /** The policy text of a mode, these mx patterns and a max_age. */
    public static String policyText(String mode, long maxAge, String... mx) {
        StringBuilder text = new StringBuilder("version: STSv1\r\nmode: " + mode + "\r\n");
        for (String pattern : mx) {
            text.append("mx: ").append(pattern).append("\r\n");
        }
        return text.append("max_age: ").append(maxAge).append("\r\n").toString();
    }

    public static Policy policy(String text) {
        return PolicyParser.parse(text).value().orElseThrow();
    }

    /** The _mta-sts record with this id, and a policy host serving this text under this certificate. */
    public PolicyHost publish(String id, String policyText, TestCa.Issued certificate) {
        dns.txt("_mta-sts." + domain, "v=STSv1; id=" + id + ";");
        PolicyHost host = PolicyHost.start(LoopbackAddresses.next(), certificate);
        open.add(host);
        dns.a(PolicyFetcher.policyHost(domain), host.address().getHostAddress());
        return host.respond(PolicyFetcher.WELL_KNOWN_PATH, PolicyHost.policy(policyText));
    }

    public PolicyHost publish(String id, String policyText) {
        return publish(id, policyText, ca.issue(PolicyFetcher.policyHost(domain)));
    }

    /** An MX server for {@code host}, presenting this certificate. */
    public void mx(String host, int preference, TestCa.Issued certificate) {
        InetAddress address = LoopbackAddresses.next();
        open.add(MxServer.start(address, MxServer.Options.withCertificate(certificate)));
        dns.mx(domain, preference, host);
        dns.a(host, address.getHostAddress());
    }

    public void mx(String host, int preference) {
        mx(host, preference, ca.issue(host));
    }

    public void tlsRpt() {
        dns.txt("_smtp._tls." + domain, "v=TLSRPTv1; rua=mailto:tlsrpt@" + domain);
    }

    /** The clients a check of this world looks through. */
    public CheckClients clients() {
        return CheckClients.of(clients.dns(), dnssec, policies, smtp);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
        smtp.close();
        clients.close();
        dns.close();
    }
}

package io.github.jamesmtasts.it;

import io.github.jamesmtasts.testkit.LoopbackAddresses;
import io.github.jamesmtasts.testkit.MxServer;
import io.github.jamesmtasts.testkit.PostfixServer;
import io.github.jamesmtasts.testkit.PolicyHost;
import io.github.jamesmtasts.testkit.TestCa;
import io.github.jamesmtasts.testkit.TestDnsServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * The Internet as one James server sees it in a test, all on loopback: a DNS server, MTA-STS policy hosts
 * (HTTPS with {@link TestCa} certificates) and MX hosts (real Postfix servers on port 25). Domains are
 * unique per world, so one James instance can serve many tests.
 */
final class World implements AutoCloseable {
    /** What an MX host presents for STARTTLS. */
    enum Certificate { VALID, EXPIRED, WRONG_NAME, SELF_SIGNED, NO_STARTTLS }

    static final String POLICY_PATH = "/.well-known/mta-sts.txt";
    private static final Duration MAIL_WAIT = Duration.ofSeconds(90);

    private final Path directory;
    private final TestCa ca = TestCa.create("james-mta-sts integration test CA");
    private final Path caFile;
    private final TestDnsServer dns;
    private final String suffix;
    private final AtomicInteger names = new AtomicInteger();
    private final List<AutoCloseable> servers = new ArrayList<>();

    World(Path directory) {
        this.directory = directory;
        try {
            // Postfix's daemons (user postfix) must reach the MX directories inside.
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.caFile = ca.writePem(directory.resolve("ca.pem"));
        // TTL 0: James and the extension ask again each time, so a test may change records as it goes.
        this.dns = TestDnsServer.start(LoopbackAddresses.next()).ttl(Duration.ZERO);
        this.suffix = "w" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36) + ".test";
    }

    /** The options of {@code run-james.sh} that point James at this world. */
    List<String> jamesOptions() {
        return List.of("--dns", dns.address().getHostAddress(), "--ca-file", caFile.toString(), "--allow-private-addresses");
    }

    /**
     * The test CA as a PKCS#12 trust store file with the password {@code changeit}, for a JVM that trusts
     * through {@code javax.net.ssl.trustStore} (James's stock RemoteDelivery).
     */
    Path trustStore() {
        Path file = directory.resolve("truststore.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            ca.trustStore().store(out, "changeit".toCharArray());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the trust store " + file, e);
        }
        return file;
    }

    /** The test CA's certificate as a PEM file. */
    Path caFile() {
        return caFile;
    }

    /** A TLS client context that trusts the test CA only. */
    SSLContext clientContext() {
        return ca.clientContext();
    }

    TestDnsServer dns() {
        return dns;
    }

    /** A new domain of this world. */
    String domain(String label) {
        return label + "-" + names.incrementAndGet() + "." + suffix;
    }

    /**
     * Publishes a policy for {@code domain} (RFC 8461 §3): the TXT record {@code _mta-sts} with {@code id}, and
     * the policy file on a policy host {@code mta-sts.<domain>} of its own.
     */
    PolicyHost publishPolicy(String domain, String id, String mode, String... mx) {
        PolicyHost server = httpsHost("mta-sts." + domain);
        dns.txt("_mta-sts." + domain, "v=STSv1; id=" + id + ";");
        server.respond(POLICY_PATH, PolicyHost.policy(policy(mode, mx)));
        return server;
    }

    /** Adds one {@code _smtp._tls} TXT record for {@code domain} (RFC 8460 §3); call again for a second. */
    void publishTlsRpt(String domain, String record) {
        dns.txt("_smtp._tls." + domain, record);
    }

    /** An HTTPS server on loopback:443 for {@code host}, in DNS, with a certificate of the test CA. */
    PolicyHost httpsHost(String host) {
        InetAddress address = LoopbackAddresses.next();
        dns.a(host, address.getHostAddress());
        return keep(PolicyHost.start(address, ca.issue(host)));
    }

    static String policy(String mode, String... mx) {
        StringBuilder policy = new StringBuilder("version: STSv1\r\nmode: " + mode + "\r\n");
        for (String pattern : mx) {
            policy.append("mx: ").append(pattern).append("\r\n");
        }
        return policy.append("max_age: 86400\r\n").toString();
    }

    /** An MX record of {@code domain} for {@code host}, and a Postfix at a new address for it. */
    PostfixServer mx(String domain, int preference, String host, Certificate certificate, String... mailboxes) {
        return mx(domain, preference, host, certificate, List.of(), mailboxes);
    }

    /** As {@link #mx(String, int, String, Certificate, String...)}, with lines added to Postfix's {@code main.cf}. */
    PostfixServer mx(String domain, int preference, String host, Certificate certificate, List<String> mainCf,
                     String... mailboxes) {
        InetAddress address = LoopbackAddresses.next();
        dns.mx(domain, preference, host);
        dns.a(host, address.getHostAddress());
        return postfix(address, domain, host, certificate, mainCf, mailboxes);
    }

    /**
     * An MX record of {@code domain} for {@code host}, and the testkit's scriptable SMTP server at a new address
     * with a valid certificate for it (Postfix does not offer REQUIRETLS; this one can).
     */
    MxServer scriptedMx(String domain, int preference, String host, UnaryOperator<MxServer.Options> options) {
        InetAddress address = LoopbackAddresses.next();
        dns.mx(domain, preference, host);
        dns.a(host, address.getHostAddress());
        return keep(MxServer.start(address, options.apply(MxServer.Options.withCertificate(ca.issue(host)))));
    }

    /** An MX record of {@code domain} for {@code host}, whose address (returned) nothing listens on. */
    InetAddress deadMx(String domain, int preference, String host) {
        InetAddress address = LoopbackAddresses.next();
        dns.mx(domain, preference, host);
        dns.a(host, address.getHostAddress());
        return address;
    }

    /** A Postfix for the MX {@code host} of {@code domain} at {@code address}, where nothing listened until now. */
    PostfixServer revive(InetAddress address, String domain, String host, Certificate certificate, String... mailboxes) {
        return postfix(address, domain, host, certificate, List.of(), mailboxes);
    }

    /** Replaces the Postfix of an MX host by one at the same address with another certificate. */
    PostfixServer replace(PostfixServer old, String domain, String host, Certificate certificate, String... mailboxes) {
        old.close();
        servers.remove(old);
        return postfix(old.address(), domain, host, certificate, List.of(), mailboxes);
    }

    private PostfixServer postfix(InetAddress address, String domain, String host, Certificate certificate,
                                  List<String> mainCf, String... mailboxes) {
        PostfixServer.Builder builder = PostfixServer.builder(newDirectory(host), address)
            .hostname(host).domain(domain).mailboxes(mailboxes)
            // The Received header says whether the message came over TLS.
            .mainCf("smtpd_tls_received_header = yes")
            .mainCf(mainCf.toArray(new String[0]));
        Instant now = Instant.now();
        switch (certificate) {
            case VALID:
                builder.certificate(ca.issue(host));
                break;
            case EXPIRED:
                builder.certificate(ca.issue(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), host));
                break;
            case WRONG_NAME:
                builder.certificate(ca.issue("not-" + host));
                break;
            case SELF_SIGNED:
                builder.certificate(TestCa.selfSigned(host));
                break;
            default:
                break;
        }
        return keep(builder.start());
    }

    private Path newDirectory(String host) {
        try {
            return Files.createDirectories(directory.resolve(host.toLowerCase(Locale.ROOT) + "-" + names.incrementAndGet()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The messages {@code mailbox} of an MX host has now. */
    static List<String> received(PostfixServer mx, String mailbox) {
        return mx.awaitMessages(mailbox, 0, Duration.ZERO);
    }

    /** The messages {@code mailbox} of an MX host received, waiting for {@code count} of them. */
    static List<String> await(PostfixServer mx, String mailbox, int count) {
        return mx.awaitMessages(mailbox, count, MAIL_WAIT);
    }

    /** Polls until a condition holds; fails with {@code what} after the mail wait. */
    static void until(String what, BooleanSupplier condition) throws InterruptedException {
        until(what, condition, MAIL_WAIT);
    }

    /** Polls until a condition holds; fails with {@code what} after {@code wait}. */
    static void until(String what, BooleanSupplier condition, Duration wait) throws InterruptedException {
        Instant deadline = Instant.now().plus(wait);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not seen in " + wait + ": " + what);
            }
            Thread.sleep(100);
        }
    }

    /** A certificate of the test CA for {@code host}, as an MX host of this world presents. */
    TestCa.Issued certificateFor(String host) {
        return ca.issue(host);
    }

    private <T extends AutoCloseable> T keep(T server) {
        servers.add(server);
        return server;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable server : servers) {
            server.close();
        }
        dns.close();
    }
}

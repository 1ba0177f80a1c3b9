package io.github.jamesmtasts.publishing;

import io.github.jamesmtasts.dns.DnsClient;
import io.github.jamesmtasts.https.HttpsClient;
import io.github.jamesmtasts.https.HttpsSettings;
import io.github.jamesmtasts.mtasts.Mode;
import io.github.jamesmtasts.mtasts.MxPattern;
import io.github.jamesmtasts.mtasts.Policy;
import io.github.jamesmtasts.mtasts.PolicyParser;
import io.github.jamesmtasts.policy.FetchResult;
import io.github.jamesmtasts.policy.PolicyFetcher;
import io.github.jamesmtasts.policy.PolicySettings;
import io.github.jamesmtasts.testkit.LoopbackAddresses;
import io.github.jamesmtasts.testkit.TestCa;
import io.github.jamesmtasts.testkit.TestDnsServer;
import io.github.jamesmtasts.tls.TrustAnchors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A running PolicyServer on loopback, asked by a real TLS client. */
class PolicyServerTest {
    private static final String WELL_KNOWN = "/.well-known/mta-sts.txt";
    private static final int MAX_REPORT = 1000;

    @TempDir
    static Path dir;

    private static TestCa ca;
    private static TestCa.Issued certificateA;
    private static TestCa.Issued certificateB;
    private static PublishedPolicy policyA;
    private static PublishedPolicy policyB;
    private static final List<String> received = new CopyOnWriteArrayList<>();
    private static final AtomicReference<Reply> reply = new AtomicReference<>();
    private static PolicyServer server;

    @BeforeAll
    static void start() {
        ca = TestCa.create("PolicyServerTest CA");
        certificateA = ca.issue("mta-sts.a.example");
        certificateB = ca.issue("mta-sts.b.example");
        certificateA.writePemFiles(dir.resolve("certificates/a.example"));
        certificateB.writePemFiles(dir.resolve("certificates/b.example"));
        policyA = PublishedPolicy.of("a.example", Mode.ENFORCE, List.of(MxPattern.of("mx.a.example")), Duration.ofDays(7));
        policyB = PublishedPolicy.of("b.example", Mode.TESTING,
            List.of(MxPattern.of("mx1.b.example"), MxPattern.of("*.mx.b.example")), Duration.ofDays(1));
        server = PolicyServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            CertificateDirectory.load(dir.resolve("certificates")), PublishedPolicies.of(List.of(policyA, policyB)),
            PolicyServerTest::receive,
            PolicyServer.Settings.builder().maxReportBytes(MAX_REPORT).timeout(Duration.ofMillis(700)).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Reply receive(String contentType, byte[] body) {
        received.add(contentType + " " + new String(body, StandardCharsets.UTF_8));
        Reply answer = reply.get();
        if (answer == null) {
            throw new IllegalStateException("the receiver broke");
        }
        return answer;
    }

    @Test
    void servesEachDomainsPolicyWithItsCertificate() {
        for (PublishedPolicy policy : List.of(policyA, policyB)) {
            try (HttpsProbe probe = HttpsProbe.connect(server.address(), ca, policy.policyHost())) {
                HttpsProbe.Response response = probe.get(WELL_KNOWN, policy.policyHost());

                assertThat(probe.serial()).isEqualTo((policy == policyA ? certificateA : certificateB).chain().get(0).getSerialNumber());
                assertThat(response.status).isEqualTo(200);
                assertThat(response.headers.get("content-type")).isEqualTo("text/plain");
                assertThat(response.body).isEqualTo(policy.text());
                Policy parsed = PolicyParser.parse(response.body).value().orElseThrow();
                assertThat(parsed.mode()).isEqualTo(policy.mode());
                assertThat(parsed.mx()).isEqualTo(policy.mx());
            }
        }
    }

    @Test
    void answersHeadWithoutBodyAndKeepsTheConnection() {
        try (HttpsProbe probe = HttpsProbe.connect(server.address(), ca, policyA.policyHost())) {
            HttpsProbe.Response head = probe.send("HEAD", WELL_KNOWN, "MTA-STS.a.example.:443", Map.of(), new byte[0]);
            HttpsProbe.Response get = probe.get(WELL_KNOWN + "?x=1", policyA.policyHost());

            assertThat(head.status).isEqualTo(200);
            assertThat(head.headers.get("content-length")).isEqualTo(String.valueOf(policyA.text().length()));
            assertThat(get.body).isEqualTo(policyA.text());
        }
    }

    @Test
    void answers404ForAnUnknownHostOrPathAnd405ForOtherMethods() {
        try (HttpsProbe probe = HttpsProbe.connect(server.address(), ca, policyA.policyHost())) {
            assertThat(probe.get(WELL_KNOWN, "mta-sts.c.example").status).isEqualTo(404);
            assertThat(probe.get(WELL_KNOWN, "a.example").status).isEqualTo(404);
            assertThat(probe.get("/other", policyA.policyHost()).status).isEqualTo(404);
            assertThat(probe.get("/.well-known/mta-sts.txt/", policyA.policyHost()).status).isEqualTo(404);
            HttpsProbe.Response put = probe.send("PUT", WELL_KNOWN, policyA.policyHost(), Map.of(), "x".getBytes(StandardCharsets.US_ASCII));
            assertThat(put.status).isEqualTo(405);
            assertThat(put.headers.get("allow")).isEqualTo("GET, HEAD");
            assertThat(probe.get("/tlsrpt", policyA.policyHost()).status).isEqualTo(405);
        }
    }

    @Test
    void handsAPostedReportToTheReceiverAndReturnsItsReply() {
        reply.set(Reply.of(201, "thanks\n"));
        received.clear();
        try (HttpsProbe probe = HttpsProbe.connect(server.address(), ca, policyA.policyHost())) {
            HttpsProbe.Response response = probe.send("POST", "/tlsrpt", policyA.policyHost(),
                Map.of("Content-Type", "application/tlsrpt+json"), "{\"report\":1}".getBytes(StandardCharsets.UTF_8));

            assertThat(response.status).isEqualTo(201);
            assertThat(response.body).isEqualTo("thanks\n");
            assertThat(received).containsExactly("application/tlsrpt+json {\"report\":1}");
        }
    }

    @Test
    void answers500WhenTheReceiverFails() {
        reply.set(null);
        try (HttpsProbe probe = HttpsProbe.connect(server.address(), ca, policyA.policyHost())) {
            assertThat(probe.send("POST", "/tlsrpt", policyA.policyHost(), Map.of(), new byte[] {1}).status).isEqualTo(500);
        }
    }

    @Test
    void refusesATooLargeReportWith413WithoutCallingTheReceiver() {
        reply.set(Reply.accepted("ok"));
        received.clear();
        byte[] large = new byte[MAX_REPORT + 1];
        Arrays.fill(large, (byte) 'x');
        try (HttpsProbe probe = HttpsProbe.connect(server.address(), ca, policyA.policyHost())) {
            HttpsProbe.Response response = probe.send("POST", "/tlsrpt", policyA.policyHost(),
                Map.of("Content-Type", "application/tlsrpt+gzip", "Connection", "close"), large);

            assertThat(response.status).isEqualTo(413);
            assertThat(received).isEmpty();
        }
    }

    @Test
    void closesAConnectionThatSendsNoRequestInTime() throws Exception {
        try (HttpsProbe idle = HttpsProbe.connect(server.address(), ca, policyA.policyHost())) {
            assertThat(idle.closedByServer()).isTrue();
        }
        try (HttpsProbe slow = HttpsProbe.connect(server.address(), ca, policyA.policyHost())) {
            assertThat(slow.get(WELL_KNOWN, policyA.policyHost()).status).isEqualTo(200);
            assertThat(slow.closedByServer()).as("idle after a response").isTrue();
        }
    }

    @Test
    void closesConnectionsBeyondTheLimit() {
        try (PolicyServer limited = PolicyServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                 CertificateDirectory.load(dir.resolve("certificates")), PublishedPolicies.of(List.of(policyA)),
                 PolicyServerTest::receive, PolicyServer.Settings.builder().maxConnections(1).build());
             HttpsProbe first = HttpsProbe.connect(limited.address(), ca, policyA.policyHost())) {
            assertThatThrownBy(() -> HttpsProbe.connect(limited.address(), ca, policyA.policyHost()).close())
                .isInstanceOf(UncheckedIOException.class);
            assertThat(first.get(WELL_KNOWN, policyA.policyHost()).status).isEqualTo(200);
        }
    }

    @Test
    void thePolicyFetcherAcceptsWhatIsServed(@TempDir Path trust) throws Exception {
        InetAddress address = LoopbackAddresses.next();
        try (TestDnsServer dns = TestDnsServer.start(LoopbackAddresses.next(), 0);
             PolicyServer on443 = PolicyServer.start(new InetSocketAddress(address, 443),
                 CertificateDirectory.load(dir.resolve("certificates")), PublishedPolicies.of(List.of(policyA, policyB)),
                 PolicyServerTest::receive, PolicyServer.Settings.defaults());
             HttpsClient https = HttpsClient.create(DnsClient.using(dns.resolver()),
                 HttpsSettings.builder().allowPrivateAddresses(true).build(),
                 TrustAnchors.jvmDefault().withPemFile(ca.writePem(trust.resolve("ca.pem"))))) {
            dns.a(policyA.policyHost(), address.getHostAddress());
            dns.a(policyB.policyHost(), address.getHostAddress());
            PolicyFetcher fetcher = new PolicyFetcher(https, PolicySettings.defaults());

            for (PublishedPolicy policy : List.of(policyA, policyB)) {
                FetchResult result = fetcher.fetch(policy.domain()).join();

                assertThat(result.failure()).isEmpty();
                Policy fetched = result.policy().orElseThrow();
                assertThat(fetched.mode()).isEqualTo(policy.mode());
                assertThat(fetched.mx()).isEqualTo(policy.mx());
                assertThat(fetched.maxAge()).isEqualTo(policy.maxAge());
            }
        }
    }
}

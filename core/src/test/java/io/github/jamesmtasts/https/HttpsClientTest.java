package io.github.jamesmtasts.https;

import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.tls.TrustAnchors;
import io.github.jamesmtasts.dns.DnsClient;
import io.github.jamesmtasts.testkit.LoopbackAddresses;
import io.github.jamesmtasts.testkit.PolicyHost;
import io.github.jamesmtasts.testkit.TestCa;
import io.github.jamesmtasts.testkit.TestDnsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** HttpsClient against real HTTPS servers on loopback:443, with names from a real DNS server. */
class HttpsClientTest {
    private static final Limits LIMITS = Limits.of(1024, Duration.ofSeconds(5));
    private static final String HOST = "mta-sts.example.com";

    @TempDir
    static Path dir;

    private static TestCa ca;
    private static TestDnsServer dns;
    private static PolicyHost server;
    private static HttpsClient client;
    private static TrustAnchors anchors;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCa.create("HttpsClientTest CA");
        dns = TestDnsServer.start(LoopbackAddresses.next(), 0);
        server = PolicyHost.start(LoopbackAddresses.next(), ca.issue(HOST, "wrong-cert.example.com"));
        dns.a(HOST, server.address().getHostAddress());
        anchors = TrustAnchors.jvmDefault().withPemFile(ca.writePem(dir.resolve("ca.pem")));
        client = HttpsClient.create(DnsClient.using(dns.resolver()), HttpsSettings.builder()
            .allowPrivateAddresses(true)
            .connectTimeout(Duration.ofSeconds(2))
            .build(), anchors);
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
        dns.close();
    }

    @Test
    void getsOverTls12OrLaterWithSniAndHost() {
        server.respond("/ok", PolicyHost.policy("hello"));

        HttpsResponse response = client.get(HOST, "/ok", LIMITS).join();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.mediaType()).contains("text/plain");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("hello");
        PolicyHost.Request request = lastRequest("/ok");
        assertThat(request.serverName()).isEqualTo(HOST);
        assertThat(request.host()).isEqualTo(HOST);
        assertThat(request.tlsProtocol()).isIn("TLSv1.2", "TLSv1.3");
    }

    @Test
    void returnsARedirectWithoutFollowingIt() {
        server.respond("/moved", PolicyHost.redirect(301, "https://" + HOST + "/ok"));
        int before = server.requests().size();

        HttpsResponse response = client.get(HOST, "/moved", LIMITS).join();

        assertThat(response.status()).isEqualTo(301);
        assertThat(server.requests()).hasSize(before + 1);
    }

    @Test
    void refusesADeclaredLengthOverTheLimit() {
        server.respond("/big", PolicyHost.policy("x".repeat(1025)));

        assertThat(failure(client.get(HOST, "/big", LIMITS)).kind()).isEqualTo(HttpsFailure.Kind.TOO_LARGE);
    }

    @Test
    void refusesAChunkedBodyOverTheLimitWhileReading() {
        server.respond("/chunked", PolicyHost.policy("y".repeat(4000)).framing(PolicyHost.Framing.CHUNKED).drip(500, Duration.ZERO));

        assertThat(failure(client.get(HOST, "/chunked", LIMITS)).kind()).isEqualTo(HttpsFailure.Kind.TOO_LARGE);
    }

    @Test
    void readsABodyEndedByTheConnectionClose() {
        server.respond("/until-close", PolicyHost.policy("abc").framing(PolicyHost.Framing.UNTIL_CLOSE));

        assertThat(client.get(HOST, "/until-close", LIMITS).join().body()).isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
    }

    /** RFC 9112 §9.8: TLS close_notify ends a body delimited by the connection's close, though TCP stays open. */
    @Test
    void readsABodyEndedByCloseNotifyWhileTheConnectionStaysOpen() {
        server.respond("/close-notify", PolicyHost.policy("abc").http10().framing(PolicyHost.Framing.UNTIL_CLOSE)
            .endWithCloseNotify(Duration.ofSeconds(30)));

        assertThat(client.get(HOST, "/close-notify", LIMITS).join().body()).isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void failsADeclaredLengthCutShortByCloseNotify() {
        server.respond("/cut-short", PolicyHost.policy("abc").declaredLength(10).endWithCloseNotify(Duration.ofSeconds(30)));

        HttpsFailure failure = failure(client.get(HOST, "/cut-short", LIMITS));

        assertThat(failure.kind()).isEqualTo(HttpsFailure.Kind.PROTOCOL);
    }

    @Test
    void failsASlowHostAfterTheTotalTimeout() {
        server.respond("/slow", PolicyHost.policy("late").delay(Duration.ofSeconds(30)));

        HttpsFailure failure = failure(client.get(HOST, "/slow", Limits.of(1024, Duration.ofMillis(300))));

        assertThat(failure.kind()).isEqualTo(HttpsFailure.Kind.TIMEOUT);
    }

    @Test
    void namesACertificateForAnotherHost() {
        dns.a("mta-sts.other.example", server.address().getHostAddress());

        HttpsFailure failure = failure(client.get("mta-sts.other.example", "/ok", LIMITS));

        assertThat(failure.kind()).isEqualTo(HttpsFailure.Kind.CERTIFICATE);
        assertThat(failure.certificateFailure()).contains(ResultType.CERTIFICATE_HOST_MISMATCH);
    }

    /** RFC 8461 §3.3: a DNS-ID of the policy host, matched as RFC 6125 says, not as RFC 2818 would. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("certificatesValidOnlyByRfc2818")
    void refusesACertificateNotNamingTheHostAsRfc6125Says(String shape, String host, Function<TestCa, TestCa.Issued> certificate) {
        try (PolicyHost other = PolicyHost.start(LoopbackAddresses.next(), certificate.apply(ca))) {
            dns.a(host, other.address().getHostAddress());

            HttpsFailure failure = failure(client.get(host, "/ok", LIMITS));

            assertThat(failure.certificateFailure()).contains(ResultType.CERTIFICATE_HOST_MISMATCH);
            assertThat(other.requests()).isEmpty();
        }
    }

    static Stream<Arguments> certificatesValidOnlyByRfc2818() {
        return Stream.of(
            Arguments.of("wildcard in every label", "mta-sts.every.example", issued(ca -> ca.issue("*.*.example"))),
            Arguments.of("wildcard below the left-most label", "mta-sts.wild.example", issued(ca -> ca.issue("mta-sts.w*.example"))),
            Arguments.of("name only in the subject CN", "mta-sts.cn.example", issued(ca -> ca.issueNamed("mta-sts.cn.example"))));
    }

    @Test
    void acceptsAWildcardInTheLeftMostLabel() {
        try (PolicyHost wildcard = PolicyHost.start(LoopbackAddresses.next(), ca.issue("*.left.example"))) {
            wildcard.respond("/ok", PolicyHost.policy("hello"));
            dns.a("mta-sts.left.example", wildcard.address().getHostAddress());

            assertThat(client.get("mta-sts.left.example", "/ok", LIMITS).join().status()).isEqualTo(200);
        }
    }

    @Test
    void postsToAnAddressLiteralItsCertificateNames() {
        InetAddress address = LoopbackAddresses.next();
        try (PolicyHost endpoint = PolicyHost.start(address, ca.issueNamed("report endpoint", address.getHostAddress()))) {
            endpoint.respond("/report", PolicyHost.Response.status(201));

            HttpsResponse response = client.post(URI.create("https://" + address.getHostAddress() + "/report"),
                "application/tlsrpt+gzip", new byte[] {1}).join();

            assertThat(response.status()).isEqualTo(201);
        }
    }

    @Test
    void namesAnExpiredCertificate() {
        Instant now = Instant.now();
        try (PolicyHost expired = PolicyHost.start(LoopbackAddresses.next(),
            ca.issue(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), "mta-sts.expired.example"))) {
            dns.a("mta-sts.expired.example", expired.address().getHostAddress());

            HttpsFailure failure = failure(client.get("mta-sts.expired.example", "/ok", LIMITS));

            assertThat(failure.certificateFailure()).contains(ResultType.CERTIFICATE_EXPIRED);
        }
    }

    @Test
    void namesAnUntrustedCertificate() {
        try (PolicyHost selfSigned = PolicyHost.start(LoopbackAddresses.next(), TestCa.selfSigned("mta-sts.self.example"))) {
            dns.a("mta-sts.self.example", selfSigned.address().getHostAddress());

            HttpsFailure failure = failure(client.get("mta-sts.self.example", "/ok", LIMITS));

            assertThat(failure.certificateFailure()).contains(ResultType.CERTIFICATE_NOT_TRUSTED);
        }
    }

    @Test
    void failsAHostWithoutAddress() {
        assertThat(failure(client.get("mta-sts.nowhere.example", "/", LIMITS)).kind()).isEqualTo(HttpsFailure.Kind.DNS);
    }

    @Test
    void failsWhenNothingListens() {
        dns.a("mta-sts.closed.example", LoopbackAddresses.next().getHostAddress());

        assertThat(failure(client.get("mta-sts.closed.example", "/", LIMITS)).kind()).isEqualTo(HttpsFailure.Kind.CONNECT);
    }

    @Test
    void refusesLoopbackAddressesUnlessAllowed() throws Exception {
        try (HttpsClient strict = HttpsClient.create(DnsClient.using(dns.resolver()), HttpsSettings.defaults(), anchors)) {
            int before = server.requests().size();

            HttpsFailure failure = failure(strict.get(HOST, "/ok", LIMITS));

            assertThat(failure.kind()).isEqualTo(HttpsFailure.Kind.REFUSED_ADDRESS);
            assertThat(server.requests()).hasSize(before);
        }
    }

    @Test
    void postsToAnHttpsUri() {
        server.respond("/report", PolicyHost.Response.status(201));

        HttpsResponse response = client.post(URI.create("https://" + HOST + "/report?x=1"), "application/tlsrpt+gzip",
            new byte[] {1, 2, 3}).join();

        assertThat(response.status()).isEqualTo(201);
        PolicyHost.Request request = lastRequest("/report");
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.target()).isEqualTo("/report?x=1");
        assertThat(request.contentType()).isEqualTo("application/tlsrpt+gzip");
        assertThat(request.body()).containsExactly(1, 2, 3);
    }

    private static PolicyHost.Request lastRequest(String path) {
        return server.requests().stream().filter(request -> request.path().equals(path))
            .reduce((first, second) -> second).orElseThrow();
    }

    private static Function<TestCa, TestCa.Issued> issued(Function<TestCa, TestCa.Issued> issue) {
        return issue;
    }

    private static HttpsFailure failure(CompletableFuture<HttpsResponse> future) {
        return future.handle((response, error) -> {
            assertThat(error).as("expected a failure, got %s", response).isNotNull();
            return HttpsException.failureOf(error);
        }).join();
    }
}

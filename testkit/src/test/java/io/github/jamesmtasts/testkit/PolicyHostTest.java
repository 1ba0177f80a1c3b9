package io.github.jamesmtasts.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyHostTest {
    private static final String HOST = "mta-sts.example.com";
    private static final String POLICY_PATH = "/.well-known/mta-sts.txt";
    private static final String POLICY = "version: STSv1\r\nmode: enforce\r\nmx: mx.example.com\r\nmax_age: 86400\r\n";

    private static TestCa ca;
    private static SSLContext trustingCa;
    private PolicyHost host;

    @BeforeAll
    static void makeCa() {
        ca = TestCa.create("policy host test CA");
        trustingCa = ca.clientContext();
    }

    @BeforeEach
    void start() {
        host = PolicyHost.start(LoopbackAddresses.next(), ca.issue(HOST));
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void servesAPolicyOnPort443AndLogsTheRequest() throws Exception {
        host.respond(POLICY_PATH, PolicyHost.policy(POLICY));

        try (HttpsProbe probe = HttpsProbe.connect(host, HOST, trustingCa)) {
            probe.get(POLICY_PATH + "?x=1", HOST);
            HttpsProbe.Reply reply = probe.readReply();

            assertThat(reply.head().status()).isEqualTo(200);
            assertThat(reply.head().header("Content-Type")).isEqualTo("text/plain");
            assertThat(reply.text()).isEqualTo(POLICY);
        }
        assertThat(host.port()).isEqualTo(443);
        assertThat(host.requests()).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.path()).isEqualTo(POLICY_PATH);
            assertThat(request.target()).isEqualTo(POLICY_PATH + "?x=1");
            assertThat(request.host()).isEqualTo(HOST);
            assertThat(request.serverName()).isEqualTo(HOST);
            assertThat(request.tlsProtocol()).isIn("TLSv1.2", "TLSv1.3");
        });
    }

    @Test
    void answers404ForUnknownPathsAndWhenAPathIsRemoved() throws Exception {
        host.respond(POLICY_PATH, PolicyHost.policy(POLICY)).remove(POLICY_PATH);

        try (HttpsProbe probe = HttpsProbe.connect(host, HOST, trustingCa)) {
            probe.get(POLICY_PATH, HOST);
            assertThat(probe.readReply().head().status()).isEqualTo(404);
            probe.get("/elsewhere", HOST);
            assertThat(probe.readReply().head().status()).as("same connection, kept alive").isEqualTo(404);
        }
    }

    @Test
    void sendsExtraHeadersAndNoContentTypeWhenNoneIsSet() throws Exception {
        host.respond(POLICY_PATH, PolicyHost.redirect(301, "https://elsewhere.example/").header("Cache-Control", "max-age=60"));

        try (HttpsProbe probe = HttpsProbe.connect(host, HOST, trustingCa)) {
            probe.get(POLICY_PATH, HOST);
            HttpsProbe.Reply reply = probe.readReply();

            assertThat(reply.head().status()).isEqualTo(301);
            assertThat(reply.head().header("Location")).isEqualTo("https://elsewhere.example/");
            assertThat(reply.head().header("Cache-Control")).isEqualTo("max-age=60");
            assertThat(reply.head().header("Content-Type")).isNull();
            assertThat(reply.body()).isEmpty();
        }
    }

    @Test
    void acceptsPostsAndKeepsTheirBodyAndContentType() throws Exception {
        byte[] gzip = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
        host.respond("/report", PolicyHost.Response.status(201));

        try (HttpsProbe probe = HttpsProbe.connect(host, HOST, trustingCa)) {
            probe.post("/report", HOST, "application/tlsrpt+gzip", gzip);
            assertThat(probe.readReply().head().status()).isEqualTo(201);
        }
        assertThat(host.requests()).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.contentType()).isEqualTo("application/tlsrpt+gzip");
            assertThat(request.header("content-length")).isEqualTo(String.valueOf(gzip.length));
            assertThat(request.body()).isEqualTo(gzip);
        });
    }

    @Test
    void sendsChunkedBodies() throws Exception {
        host.respond(POLICY_PATH, PolicyHost.policy("hello").framing(PolicyHost.Framing.CHUNKED));

        try (HttpsProbe probe = HttpsProbe.connect(host, HOST, trustingCa)) {
            probe.get(POLICY_PATH, HOST);
            HttpsProbe.Head head = probe.readHead();

            assertThat(head.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(head.header("Content-Length")).isNull();
            String chunks = "5\r\nhello\r\n0\r\n\r\n";
            assertThat(new String(probe.read(chunks.length()), StandardCharsets.US_ASCII)).isEqualTo(chunks);
        }
    }

    @Test
    void sendsABodyLargerThanItsDeclaredSizeThenCloses() throws Exception {
        host.respond(POLICY_PATH, PolicyHost.policy(POLICY).declaredLength(10));

        try (HttpsProbe probe = HttpsProbe.connect(host, HOST, trustingCa)) {
            probe.get(POLICY_PATH, HOST);
            HttpsProbe.Head head = probe.readHead();

            assertThat(head.header("Content-Length")).isEqualTo("10");
            assertThat(head.header("Connection")).isEqualTo("close");
            assertThat(new String(probe.readToEnd(), StandardCharsets.UTF_8)).isEqualTo(POLICY);
        }
    }

    @Test
    void endsABodyWithoutLengthByClosing() throws Exception {
        host.respond(POLICY_PATH, PolicyHost.policy(POLICY).framing(PolicyHost.Framing.UNTIL_CLOSE));

        try (HttpsProbe probe = HttpsProbe.connect(host, HOST, trustingCa)) {
            probe.get(POLICY_PATH, HOST);
            HttpsProbe.Head head = probe.readHead();

            assertThat(head.header("Content-Length")).isNull();
            assertThat(head.header("Transfer-Encoding")).isNull();
            assertThat(new String(probe.readToEnd(), StandardCharsets.UTF_8)).isEqualTo(POLICY);
        }
    }

    @Test
    void answersInHttp10AndEndsWithCloseNotifyAlone() throws Exception {
        host.respond(POLICY_PATH, PolicyHost.policy(POLICY).http10().framing(PolicyHost.Framing.UNTIL_CLOSE)
            .endWithCloseNotify(Duration.ofMinutes(1)));

        try (HttpsProbe probe = HttpsProbe.connect(host, HOST, trustingCa)) {
            probe.get(POLICY_PATH, HOST);
            HttpsProbe.Head head = probe.readHead();

            assertThat(head.version()).isEqualTo("HTTP/1.0");
            assertThat(head.header("Content-Length")).isNull();
            assertThat(new String(probe.readToEnd(), StandardCharsets.UTF_8)).as("read up to the close_notify").isEqualTo(POLICY);
        }
    }

    @Test
    void waitsBeforeAnswering() throws Exception {
        host.respond(POLICY_PATH, PolicyHost.policy(POLICY).delay(Duration.ofMinutes(1)));

        try (HttpsProbe probe = HttpsProbe.connect(host, HOST, trustingCa)) {
            probe.socket().setSoTimeout(200);
            probe.get(POLICY_PATH, HOST);

            assertThatThrownBy(probe::readHead).isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(host.requests()).hasSize(1);
    }

    @Test
    void dripsTheBodySlowly() throws Exception {
        host.respond(POLICY_PATH, PolicyHost.policy(POLICY).drip(1, Duration.ofMinutes(1)));

        try (HttpsProbe probe = HttpsProbe.connect(host, HOST, trustingCa)) {
            probe.get(POLICY_PATH, HOST);
            assertThat(probe.readHead().header("Content-Length")).isEqualTo(String.valueOf(POLICY.length()));
            assertThat(probe.read(1)).containsExactly('v');
            probe.socket().setSoTimeout(200);

            assertThatThrownBy(() -> probe.read(1)).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void presentsItsCertificateWhichClientsCheck() throws Exception {
        assertThatThrownBy(() -> HttpsProbe.connect(host, "mta-sts.other.example", trustingCa).close())
            .isInstanceOf(SSLHandshakeException.class);

        host.certificate(TestCa.selfSigned(HOST));
        assertThatThrownBy(() -> HttpsProbe.connect(host, HOST, trustingCa).close())
            .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void takesAnyPort() throws Exception {
        try (PolicyHost other = PolicyHost.start(LoopbackAddresses.next(), 0, ca.issue(HOST))) {
            other.respond(POLICY_PATH, PolicyHost.policy(POLICY));
            try (HttpsProbe probe = HttpsProbe.connect(other, HOST, trustingCa)) {
                probe.get(POLICY_PATH, HOST);
                assertThat(probe.readReply().text()).isEqualTo(POLICY);
            }
            assertThat(other.port()).isNotIn(0, 443);
        }
    }
}

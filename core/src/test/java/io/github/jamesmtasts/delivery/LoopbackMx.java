package io.github.jamesmtasts.delivery;

import io.github.jamesmtasts.dns.MxHost;
import io.github.jamesmtasts.smtp.NettySmtpSender;
import io.github.jamesmtasts.smtp.SmtpSettings;
import io.github.jamesmtasts.testkit.LoopbackAddresses;
import io.github.jamesmtasts.testkit.MxServer;
import io.github.jamesmtasts.testkit.TestCa;
import io.github.jamesmtasts.tls.TrustAnchors;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * MX hosts on loopback for delivery tests over real sockets: the testkit's {@link MxServer}s, each with a
 * certificate of a test CA for its name, entered in a {@link Fakes.Directory}, and the Netty SMTP client that
 * trusts that CA. Close it after the test.
 */
public final class LoopbackMx implements AutoCloseable {
    private final TestCa ca;
    private final TrustAnchors anchors;
    private final Fakes.Directory dns = new Fakes.Directory();
    private final List<MxServer> servers = new ArrayList<>();
    private NettySmtpSender smtp;

    public LoopbackMx(Path directory) throws IOException {
        this.ca = TestCa.create("loopback MX test CA");
        this.anchors = TrustAnchors.jvmDefault().withPemFile(ca.writePem(directory.resolve("ca.pem")));
    }

    /** The MX answers of the hosts started so far. */
    public Fakes.Directory dns() {
        return dns;
    }

    /** A certificate of the test CA for {@code host}. */
    public TestCa.Issued certificate(String host) {
        return ca.issue(host);
    }

    /** Starts an MX host of {@code domain} at {@code preference}, with a valid certificate unless the options say else. */
    public MxServer start(String domain, String host, int preference, UnaryOperator<MxServer.Options> options) {
        MxServer server = MxServer.start(LoopbackAddresses.next(), options.apply(MxServer.Options.withCertificate(ca.issue(host))));
        servers.add(server);
        List<MxHost> hosts = new ArrayList<>(dns.mx.containsKey(domain) ? dns.mx.get(domain).records() : List.of());
        hosts.add(new MxHost(host, preference));
        dns.mx(domain, hosts.toArray(new MxHost[0])).host(host, server.address().getHostAddress());
        return server;
    }

    /** The SMTP client, made at first use: every step times out after 2 seconds. */
    public NettySmtpSender smtp() {
        if (smtp == null) {
            smtp = new NettySmtpSender(SmtpSettings.builder("client.test")
                .allStepTimeouts(Duration.ofSeconds(2))
                .trustAnchors(anchors)
                .build());
        }
        return smtp;
    }

    @Override
    public void close() {
        if (smtp != null) {
            smtp.close();
        }
        servers.forEach(MxServer::close);
    }
}

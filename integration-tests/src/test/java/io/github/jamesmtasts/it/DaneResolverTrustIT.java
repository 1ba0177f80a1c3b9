package io.github.jamesmtasts.it;

import io.github.jamesmtasts.dane.TlsaRecord;
import io.github.jamesmtasts.testkit.DnssecWorld;
import io.github.jamesmtasts.testkit.DnssecWorld.Signing;
import io.github.jamesmtasts.testkit.LoopbackAddresses;
import io.github.jamesmtasts.testkit.MxServer;
import io.github.jamesmtasts.testkit.TestCa;
import io.github.jamesmtasts.testkit.VethLink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DANE behind a validating resolver that is not on loopback (RFC 7672 §8.1, issue 16): Unbound listens on the host end
 * of a veth link to a network namespace the test makes, so its AD bit crossed "a network". A James asking it believes
 * nothing it says about DNSSEC, so TLSA records do not apply and a DANE mismatch is delivered as without DANE; a James
 * whose admin lists that resolver in {@code dane.trustedResolvers} applies DANE and withholds the same mismatch.
 */
class DaneResolverTrustIT {
    private static final String TLSA_OWNER = "_25._tcp.";
    private static final TestCa CA = TestCa.create("DANE resolver trust test CA");

    @TempDir
    static Path directory;
    private static final List<AutoCloseable> CLOSED = new ArrayList<>();
    private static VethLink link;
    private static DnssecWorld world;
    private static MxServer untrustedMx;
    private static MxServer trustedMx;
    private static JamesProcess untrusting;
    private static JamesProcess trusting;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(DnssecWorld.isInstalled(), "nsd, unbound and ldnsutils are not installed");
        Assumptions.assumeTrue(VethLink.isAvailable(), "iproute2 is not installed");
        link = VethLink.create();
        String mismatch = TlsaRecord.daneEe(TestCa.selfSigned("stranger").chain().get(0)).toString();
        untrustedMx = mx("untrusted.test");
        trustedMx = mx("trusted.test");
        world = DnssecWorld.builder("test").resolverAddress(link.hostAddress())
            .zone("untrusted.test", Signing.SIGNED, zone("untrusted.test", untrustedMx, mismatch))
            .zone("trusted.test", Signing.SIGNED, zone("trusted.test", trustedMx, mismatch))
            .zone("sender.test", Signing.UNSIGNED, "sender.test. 300 IN MX 10 mx.sender.test.",
                "mx.sender.test. 300 IN A " + LoopbackAddresses.next().getHostAddress())
            .start();
        assertThat(world.resolver().getAddress().isLoopbackAddress()).isFalse();
        List<String> options = List.of("--dns", link.hostAddress().getHostAddress(),
            "--ca-file", CA.writePem(directory.resolve("ca.pem")).toString(), "--allow-private-addresses");
        untrusting = Stage.james("dane-untrusting", options, "enforce").start();
        trusting = Stage.james("dane-trusting", options, "enforce")
            .editConf("mta-sts.properties", conf -> conf + "dane.trustedResolvers=" + link.hostAddress().getHostAddress() + "\n")
            .start();
    }

    private static MxServer mx(String domain) {
        MxServer server = MxServer.start(LoopbackAddresses.next(), MxServer.Options.plain().certificate(CA.issue("mx." + domain)));
        CLOSED.add(server);
        return server;
    }

    private static String[] zone(String domain, MxServer mx, String tlsa) {
        return new String[] {domain + ". 300 IN MX 10 mx." + domain + ".",
            "mx." + domain + ". 300 IN A " + mx.address().getHostAddress(),
            TLSA_OWNER + "mx." + domain + ". 300 IN TLSA " + tlsa};
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable server : List.of(closing(untrusting), closing(trusting), closing(world))) {
            server.close();
        }
        for (AutoCloseable server : CLOSED) {
            server.close();
        }
        if (link != null) {
            link.close();
        }
    }

    private static AutoCloseable closing(AutoCloseable server) {
        return server == null ? () -> { } : server;
    }

    @Test
    void aResolverOffLoopbackIsNotBelievedSoATlsaMismatchGoesAsWithoutDane() throws Exception {
        assertThat(untrusting.log()).contains("DANE (RFC 7672) does not apply");
        String id = new Submission(untrusting.smtpPort()).send("alice@sender.test", "bob@untrusted.test");
        MxServer.Received received = untrustedMx.awaitMessages(1, Duration.ofSeconds(90)).get(0);
        assertThat(received.text()).contains(id);
        assertThat(received.tls()).isTrue();
        assertThat(untrusting.log()).doesNotContain("tlsa-mismatch");
    }

    @Test
    void theSameResolverListedByTheAdminIsBelievedAndTheMismatchIsWithheld() throws Exception {
        assertThat(trusting.log()).contains("AD bit is trusted");
        new Submission(trusting.smtpPort()).send("alice@sender.test", "bob@trusted.test");
        World.until("a DANE mismatch withheld", () -> trusting.log().lines()
            .anyMatch(line -> line.contains("MTA-STS delivery to trusted.test:") && line.contains("tlsa-mismatch")));
        World.until("a retry", () -> trusting.log().lines()
            .anyMatch(line -> line.contains("MTA-STS delivery to trusted.test:") && line.contains("retry")));
        assertThat(trustedMx.received()).isEmpty();
    }
}

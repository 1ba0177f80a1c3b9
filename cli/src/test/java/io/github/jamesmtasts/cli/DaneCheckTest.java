package io.github.jamesmtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.jamesmtasts.dane.TlsaRecord;
import io.github.jamesmtasts.testkit.DnssecWorld;
import io.github.jamesmtasts.testkit.DnssecWorld.Signing;
import io.github.jamesmtasts.testkit.LoopbackAddresses;
import io.github.jamesmtasts.testkit.MxServer;
import io.github.jamesmtasts.testkit.TestCa;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mta-sts check} on DANE (RFC 7672) through a real validating Unbound in front of signed zones, and
 * {@code mta-sts generate --tlsa-cert}.
 */
class DaneCheckTest {
    private static final TestCa.Issued GOOD = TestCa.selfSigned("mx.good.test");
    private static final TestCa.Issued OTHER = TestCa.selfSigned("someone else");
    @TempDir
    static Path directory;
    private static DnssecWorld world;
    private static MxServer good;
    private static MxServer bad;
    private String out;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(DnssecWorld.isInstalled(), "nsd, unbound and ldnsutils are not installed");
        InetAddress goodAddress = LoopbackAddresses.next();
        InetAddress badAddress = LoopbackAddresses.next();
        good = MxServer.start(goodAddress, MxServer.Options.withCertificate(GOOD));
        bad = MxServer.start(badAddress, MxServer.Options.withCertificate(OTHER));
        world = DnssecWorld.builder("test")
            .zone("good.test", Signing.SIGNED, "good.test. 300 IN MX 10 mx.good.test.",
                "mx.good.test. 300 IN A " + goodAddress.getHostAddress(),
                "_25._tcp.mx.good.test. 300 IN TLSA " + TlsaRecord.daneEe(GOOD.chain().get(0)))
            .zone("bad.test", Signing.SIGNED, "bad.test. 300 IN MX 10 mx.bad.test.",
                "mx.bad.test. 300 IN A " + badAddress.getHostAddress(),
                "_25._tcp.mx.bad.test. 300 IN TLSA " + TlsaRecord.daneEe(GOOD.chain().get(0)))
            .start();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable server : new AutoCloseable[] {world, good, bad}) {
            try {
                if (server != null) {
                    server.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void aMatchingCertificateIsReportedWithItsRecord() {
        run("check", "good.test", "--dns", world.resolver().getAddress().getHostAddress(), "--timeout", "5s");

        assertThat(out).contains("MX records are DNSSEC-secure")
            .contains("the certificate matches TLSA of mx.good.test")
            .contains("DANE-EE record " + TlsaRecord.daneEe(GOOD.chain().get(0)).toString().substring(0, 12));
    }

    @Test
    void aMismatchIsAProblemWithItsResultType() {
        run("check", "bad.test", "--dns", world.resolver().getAddress().getHostAddress(), "--timeout", "5s");

        assertThat(out).contains("validation-failure").contains("no TLSA record of mx.bad.test matches");
    }

    @Test
    void generatePrintsTheDaneEeRecordOfACertificate() throws Exception {
        Path pem = Files.writeString(directory.resolve("mx.pem"), pem(GOOD));

        assertThat(run("generate", "good.test", "--mx", "mx.good.test", "--mx", "*.good.test", "--tlsa-cert", pem.toString()))
            .isEqualTo(Main.OK);

        assertThat(out).contains("_25._tcp.mx.good.test. IN TLSA " + TlsaRecord.daneEe(GOOD.chain().get(0)))
            .doesNotContain("_25._tcp.*.");
    }

    private static String pem(TestCa.Issued issued) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(issued.chain().get(0).getEncoded())
            + "\n-----END CERTIFICATE-----\n";
    }

    private int run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = Main.run(List.of(args), stream, stream, Clock.systemUTC());
        out = bytes.toString(StandardCharsets.UTF_8);
        return code;
    }
}

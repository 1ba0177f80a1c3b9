package io.github.jamesmtasts.publishing;

import io.github.jamesmtasts.testkit.TestCa;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Certificates by SNI, as a TLS client sees them through a running {@link PolicyServer}. */
class CertificateDirectoryTest {
    private static TestCa ca;

    @TempDir
    Path dir;

    private PolicyServer server;

    @BeforeAll
    static void makeCa() {
        ca = TestCa.create("CertificateDirectoryTest CA");
    }

    @BeforeEach
    void clean() {
        server = null;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void picksTheCertificateBySniWildcardsIncluded() throws Exception {
        TestCa.Issued a = ca.issue("mta-sts.a.example");
        TestCa.Issued b = ca.issue("*.b.example", "b.example");
        a.writePemFiles(dir.resolve("a.example"));
        b.writePemFiles(dir.resolve("b.example"));
        Files.createDirectories(dir.resolve("broken"));
        Files.writeString(dir.resolve("broken/fullchain.pem"), "not a certificate");
        Files.writeString(dir.resolve("broken/privkey.pem"), "not a key");
        Files.createDirectories(dir.resolve("empty"));
        CertificateDirectory certificates = CertificateDirectory.load(dir);
        start(certificates, Duration.ofHours(1));

        assertThat(serialFor("mta-sts.a.example")).isEqualTo(serialOf(a));
        assertThat(serialFor("MTA-STS.B.example")).isEqualTo(serialOf(b));
        assertThat(serialFor(null)).as("no SNI: the first directory's").isEqualTo(serialOf(a));
        assertThat(certificates.contextFor("mta-sts.b.example")).isEqualTo(certificates.contextFor("b.example"));
        assertThat(certificates.contextFor("x.mta-sts.b.example")).as("a wildcard covers one label").isEmpty();
        assertThat(certificates.contextFor("mta-sts.c.example")).isEmpty();
    }

    @Test
    void readsTheFileNamesOfAcmeShAsWellAsCertbots() throws Exception {
        TestCa.Issued issued = ca.issue("mta-sts.c.example");
        Path acme = issued.writePemFiles(dir.resolve("c.example"));
        Files.move(acme.resolve("fullchain.pem"), acme.resolve("fullchain.cer"));
        Files.move(acme.resolve("privkey.pem"), acme.resolve("c.example.key"));
        start(CertificateDirectory.load(dir), Duration.ofHours(1));

        assertThat(serialFor("mta-sts.c.example")).isEqualTo(serialOf(issued));
    }

    @Test
    void servesARenewedCertificateWithoutRestart() {
        ca.issue("mta-sts.a.example").writePemFiles(dir.resolve("a.example"));
        start(CertificateDirectory.load(dir), Duration.ofMillis(50));
        TestCa.Issued renewed = ca.issue("mta-sts.a.example");

        renewed.writePemFiles(dir.resolve("a.example"));

        awaitSerial("mta-sts.a.example", serialOf(renewed));
    }

    @Test
    void keepsThePreviousCertificateWhenTheNewFilesAreBroken() throws Exception {
        TestCa.Issued first = ca.issue("mta-sts.a.example");
        first.writePemFiles(dir.resolve("a.example"));
        CertificateDirectory certificates = CertificateDirectory.load(dir);
        start(certificates, Duration.ofHours(1));
        Path scratch = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-scratch"));

        Files.writeString(dir.resolve("a.example/privkey.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThat(certificates.reloadIfChanged()).isFalse();
        assertThat(serialFor("mta-sts.a.example")).isEqualTo(serialOf(first));

        // a renewal caught half-way: the new chain with the old key
        ca.issue("mta-sts.a.example").writePemFiles(scratch);
        Files.copy(scratch.resolve("fullchain.pem"), dir.resolve("a.example/fullchain.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        first.writePemFiles(scratch);
        Files.copy(scratch.resolve("privkey.pem"), dir.resolve("a.example/privkey.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(certificates.reloadIfChanged()).isFalse();
        assertThat(serialFor("mta-sts.a.example")).isEqualTo(serialOf(first));

        TestCa.Issued fixed = ca.issue("mta-sts.a.example");
        fixed.writePemFiles(dir.resolve("a.example"));
        assertThat(certificates.reloadIfChanged()).isTrue();
        assertThat(serialFor("mta-sts.a.example")).isEqualTo(serialOf(fixed));
    }

    @Test
    void dropsARemovedDirectoryAndAddsANewOne() throws Exception {
        ca.issue("mta-sts.a.example").writePemFiles(dir.resolve("a.example"));
        CertificateDirectory certificates = CertificateDirectory.load(dir);
        TestCa.Issued b = ca.issue("mta-sts.b.example");
        b.writePemFiles(dir.resolve("b.example"));
        Files.delete(dir.resolve("a.example/fullchain.pem"));
        Files.delete(dir.resolve("a.example/privkey.pem"));
        Files.delete(dir.resolve("a.example"));

        assertThat(certificates.reloadIfChanged()).isTrue();

        assertThat(certificates.contextFor("mta-sts.a.example")).isEmpty();
        assertThat(certificates.contextFor("mta-sts.b.example")).isPresent();
        assertThat(certificates.defaultContext()).isEqualTo(certificates.contextFor("mta-sts.b.example"));
        assertThat(certificates.reloadIfChanged()).isFalse();
    }

    @Test
    void readsPkcs1RsaAndSec1EcKeysAsOpensslWritesThem() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair rsaKeys = rsa.generateKeyPair();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ecKeys = ec.generateKeyPair();

        PrivateKey rsaRead = PemFiles.privateKey(traditionalPem(rsaKeys.getPrivate(), "RSA PRIVATE KEY"));
        PrivateKey ecRead = PemFiles.privateKey(traditionalPem(ecKeys.getPrivate(), "EC PRIVATE KEY"));

        assertThat(rsaRead.getEncoded()).isEqualTo(rsaKeys.getPrivate().getEncoded());
        assertThat(((ECPrivateKey) ecRead).getS()).isEqualTo(((ECPrivateKey) ecKeys.getPrivate()).getS());
    }

    @Test
    void namesTheFileOfAnEncryptedKey() throws Exception {
        Path file = dir.resolve("privkey.pem");
        Files.writeString(file, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");

        assertThatThrownBy(() -> PemFiles.privateKey(file)).isInstanceOf(UnusableCertificateException.class)
            .hasMessageContaining(file.toString()).hasMessageContaining("ENCRYPTED PRIVATE KEY is not supported");
    }

    /** PKCS#1 and SEC1, the "traditional" OpenSSL formats, as BouncyCastle's PEM writer writes them. */
    private Path traditionalPem(PrivateKey key, String expectedLabel) throws Exception {
        Path file = Files.createTempFile(dir, "key", ".pem");
        try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(key);
        }
        assertThat(Files.readString(file)).startsWith("-----BEGIN " + expectedLabel + "-----");
        return file;
    }

    private void start(CertificateDirectory certificates, Duration reloadInterval) {
        server = PolicyServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), certificates,
            PublishedPolicies.of(List.of()), (type, body) -> Reply.accepted("ok"),
            PolicyServer.Settings.builder().reloadInterval(reloadInterval).build());
    }

    private BigInteger serialFor(String serverName) {
        try (HttpsProbe probe = HttpsProbe.connect(server.address(), ca, serverName)) {
            return probe.serial();
        }
    }

    private void awaitSerial(String serverName, BigInteger serial) {
        Instant deadline = Instant.now().plusSeconds(10);
        Optional<BigInteger> seen = Optional.empty();
        while (Instant.now().isBefore(deadline)) {
            seen = Optional.of(serialFor(serverName));
            if (seen.get().equals(serial)) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        assertThat(seen).contains(serial);
    }

    private static BigInteger serialOf(TestCa.Issued issued) {
        return issued.chain().get(0).getSerialNumber();
    }
}

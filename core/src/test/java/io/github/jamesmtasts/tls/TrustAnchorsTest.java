package io.github.jamesmtasts.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.jamesmtasts.testkit.TestCa;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustAnchorsTest {
    @TempDir
    Path directory;

    @Test
    void pemFileAddsItsCertificatesToTheJvmTrustStore() throws IOException {
        TestCa ca = TestCa.create("Extra CA");
        int jvmAnchors = TrustAnchors.jvmDefault().pkixTrustManager().getAcceptedIssuers().length;

        TrustAnchors anchors = TrustAnchors.jvmDefault().withPemFile(ca.writePem(directory.resolve("ca.pem")));

        assertThat(anchors.extraCertificates()).containsExactly(ca.certificate());
        assertThat(Arrays.asList(anchors.pkixTrustManager().getAcceptedIssuers()))
            .contains(ca.certificate())
            .hasSize(jvmAnchors + 1);
    }

    @Test
    void configuredStoreReplacesTheJvmTrustStore() {
        TestCa ca = TestCa.create("Only CA");

        assertThat(TrustAnchors.of(ca.trustStore()).pkixTrustManager().getAcceptedIssuers()).containsExactly(ca.certificate());
    }

    @Test
    void fileWithoutCertificateIsRefused() throws IOException {
        Path empty = Files.writeString(directory.resolve("empty.pem"), "no certificate here\n");

        assertThatThrownBy(() -> TrustAnchors.jvmDefault().withPemFile(empty)).isInstanceOf(IOException.class);
    }
}

package io.github.jamesmtasts.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.jamesmtasts.result.Failure;
import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.testkit.TestCa;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.Test;

/** Classifies the errors the JDK's own PKIX trust manager raises for certificates made to fail. */
class TlsFailureClassifierTest {
    private static final TestCa CA = TestCa.create("Classifier Test CA");
    private static final X509TrustManager PKIX = TrustAnchors.of(CA.trustStore()).pkixTrustManager();

    private static ResultType classify(TestCa.Issued issued) {
        CertificateException failure = catchThrowableOfType(
            () -> PKIX.checkServerTrusted(issued.chain().toArray(new X509Certificate[0]), "ECDHE_ECDSA"),
            CertificateException.class);
        assertThat(failure).as("the JDK refuses the chain").isNotNull();
        return TlsFailureClassifier.classifyPathFailure(failure);
    }

    @Test
    void expiredCertificate() {
        Instant now = Instant.now();
        assertThat(classify(CA.issue(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), "mx.example.com")))
            .isEqualTo(ResultType.CERTIFICATE_EXPIRED);
    }

    @Test
    void selfSignedCertificateIsNotTrusted() {
        assertThat(classify(TestCa.selfSigned("mx.example.com"))).isEqualTo(ResultType.CERTIFICATE_NOT_TRUSTED);
    }

    @Test
    void certificateOfAnotherCaIsNotTrusted() {
        assertThat(classify(TestCa.create("Some Other CA").issue("mx.example.com"))).isEqualTo(ResultType.CERTIFICATE_NOT_TRUSTED);
    }

    @Test
    void certificateNotYetValidIsAValidationFailure() {
        Instant now = Instant.now();
        assertThat(classify(CA.issue(now.plus(Duration.ofDays(2)), now.plus(Duration.ofDays(30)), "mx.example.com")))
            .isEqualTo(ResultType.VALIDATION_FAILURE);
    }

    @Test
    void rejectionInsideAHandshakeFailureKeepsItsType() {
        SSLHandshakeException handshake = new SSLHandshakeException("certificate_unknown");
        handshake.initCause(new RejectedCertificateException(ResultType.CERTIFICATE_HOST_MISMATCH, "not for mx.example.com", null));

        Failure failure = TlsFailureClassifier.classifyHandshakeFailure(handshake);

        assertThat(failure.type()).isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH);
        assertThat(failure.detail()).isEqualTo("not for mx.example.com");
    }

    @Test
    void otherHandshakeFailuresAreValidationFailures() {
        Failure failure = TlsFailureClassifier.classifyHandshakeFailure(new SSLHandshakeException("Received fatal alert: protocol_version"));

        assertThat(failure.type()).isEqualTo(ResultType.VALIDATION_FAILURE);
        assertThat(failure.detail()).contains("protocol_version");
    }
}

package io.github.jamesmtasts.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.testkit.TestCa;
import io.github.jamesmtasts.tls.RejectedCertificateException;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.Test;

/** RFC 7672 §3: how a chain is held to TLSA records, on certificates made by a test CA. */
class DaneVerifierTest {
    private static final String MX = "mx.dane.test";
    private static final TestCa CA = TestCa.create("DANE-TA CA");

    private static void verify(List<X509Certificate> chain, TlsaRecord... records) throws RejectedCertificateException {
        new DaneVerifier(HostTlsa.of(MX, MX, List.of(records))).verify(chain.toArray(new X509Certificate[0]));
    }

    @Test
    void daneEeIgnoresNamesExpiryAndTheIssuer() {
        Instant past = Instant.now().minus(30, ChronoUnit.DAYS);
        List<X509Certificate> expiredForAnotherName = TestCa.create("unknown CA")
            .issue(past, past.plus(1, ChronoUnit.DAYS), "elsewhere.test").chain();

        // RFC 7672 §3.1.1: the key is the identity; nothing else is checked.
        assertThatCode(() -> verify(expiredForAnotherName, TlsaRecord.daneEe(expiredForAnotherName.get(0)))).doesNotThrowAnyException();
    }

    @Test
    void aChainNoRecordMatchesIsAValidationFailure() {
        List<X509Certificate> chain = CA.issue(MX).chain();
        TlsaRecord other = TlsaRecord.daneEe(CA.issue(MX).chain().get(0));

        assertThatThrownBy(() -> verify(chain, other))
            .isInstanceOfSatisfying(RejectedCertificateException.class, refusal -> {
                assertThat(refusal.resultType()).isEqualTo(ResultType.VALIDATION_FAILURE);
                assertThat(refusal.failure().reasonCode()).contains(DaneVerifier.TLSA_MISMATCH);
            });
    }

    @Test
    void daneTaAcceptsALeafTheAnchorIssuedForTheHost() {
        TlsaRecord anchor = TlsaRecord.forCertificate(TlsaRecord.DANE_TA, TlsaRecord.CERT, TlsaRecord.SHA2_256, CA.certificate());

        assertThatCode(() -> verify(CA.issue(MX).chain(), anchor)).doesNotThrowAnyException();
        assertThatCode(() -> verify(CA.issue("*.dane.test").chain(), anchor)).doesNotThrowAnyException();
    }

    @Test
    void daneTaChecksTheNames() {
        TlsaRecord anchor = TlsaRecord.forCertificate(TlsaRecord.DANE_TA, TlsaRecord.SPKI, TlsaRecord.SHA2_256, CA.certificate());

        // RFC 7672 §3.2.2: the leaf must name the TLSA base domain or the MX host.
        assertThatThrownBy(() -> verify(CA.issue("other.test").chain(), anchor))
            .isInstanceOfSatisfying(RejectedCertificateException.class,
                refusal -> assertThat(refusal.resultType()).isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH));
        assertThatThrownBy(() -> verify(CA.issue("*.test").chain(), anchor)).isInstanceOf(RejectedCertificateException.class);
    }

    @Test
    void daneTaChecksTheSignatureAndTheDates() {
        TlsaRecord anchor = TlsaRecord.forCertificate(TlsaRecord.DANE_TA, TlsaRecord.CERT, TlsaRecord.SHA2_256, CA.certificate());
        X509Certificate foreignLeaf = TestCa.create("another CA").issue(MX).chain().get(0);
        Instant past = Instant.now().minus(30, ChronoUnit.DAYS);
        X509Certificate expiredLeaf = CA.issue(past, past.plus(1, ChronoUnit.DAYS), MX).chain().get(0);

        // The published CA sent beside a leaf it did not sign proves nothing.
        assertThatThrownBy(() -> verify(List.of(foreignLeaf, CA.certificate()), anchor)).isInstanceOf(RejectedCertificateException.class);
        assertThatThrownBy(() -> verify(List.of(expiredLeaf, CA.certificate()), anchor))
            .isInstanceOfSatisfying(RejectedCertificateException.class,
                refusal -> assertThat(refusal.resultType()).isEqualTo(ResultType.CERTIFICATE_EXPIRED));
    }

    @Test
    void aDaneTaRecordDoesNotMatchTheLeafItself() {
        List<X509Certificate> selfSigned = TestCa.selfSigned(MX).chain();
        TlsaRecord leafAsAnchor = TlsaRecord.forCertificate(TlsaRecord.DANE_TA, TlsaRecord.CERT, TlsaRecord.SHA2_256, selfSigned.get(0));

        assertThatThrownBy(() -> verify(selfSigned, leafAsAnchor)).isInstanceOf(RejectedCertificateException.class);
    }
}

package io.github.jamesmtasts.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.jamesmtasts.testkit.TestCa;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.utils.base16;

class TlsaRecordTest {
    private static final TestCa CA = TestCa.create("TLSA CA");
    private static final X509Certificate LEAF = CA.issue("mx.dane.test").chain().get(0);

    @Test
    void aDaneEeRecordIsTheSha256OfTheKey() throws Exception {
        TlsaRecord record = TlsaRecord.daneEe(LEAF);

        byte[] expected = MessageDigest.getInstance("SHA-256").digest(LEAF.getPublicKey().getEncoded());
        assertThat(record.toString()).isEqualTo("3 1 1 " + base16.toString(expected));
        assertThat(record.matches(LEAF)).isTrue();
        assertThat(record.matches(CA.certificate())).isFalse();
        assertThat(TlsaRecord.parse(record.toString())).isEqualTo(record);
    }

    @Test
    void everySelectorAndMatchingTypeMatchesTheCertificateItWasMadeFor() {
        for (int selector = 0; selector <= 1; selector++) {
            for (int matching = 0; matching <= 2; matching++) {
                TlsaRecord record = TlsaRecord.forCertificate(TlsaRecord.DANE_EE, selector, matching, LEAF);
                assertThat(record.usable()).as(record.toString()).isTrue();
                assertThat(record.matches(LEAF)).as(record.toString()).isTrue();
                assertThat(record.matches(CA.certificate())).as(record.toString()).isFalse();
            }
        }
    }

    @Test
    void onlyDaneTaAndDaneEeWithKnownParametersAndRightLengthsAreUsable() {
        byte[] sha256 = new byte[32];
        assertThat(new TlsaRecord(3, 1, 1, sha256).usable()).isTrue();
        assertThat(new TlsaRecord(2, 0, 1, sha256).usable()).isTrue();
        // RFC 7672 §3.1.3: PKIX-TA(0) and PKIX-EE(1) are unusable for SMTP.
        assertThat(new TlsaRecord(0, 0, 1, sha256).usable()).isFalse();
        assertThat(new TlsaRecord(1, 1, 1, sha256).usable()).isFalse();
        assertThat(new TlsaRecord(3, 2, 1, sha256).usable()).isFalse();
        assertThat(new TlsaRecord(3, 1, 3, sha256).usable()).isFalse();
        // A SHA2-256 digest is 32 octets, a SHA2-512 one 64.
        assertThat(new TlsaRecord(3, 1, 1, new byte[31]).usable()).isFalse();
        assertThat(new TlsaRecord(3, 1, 2, sha256).usable()).isFalse();
        assertThat(new TlsaRecord(3, 1, 2, new byte[64]).usable()).isTrue();
        // An unusable record never matches, even with the right data.
        TlsaRecord pkixEe = TlsaRecord.forCertificate(1, 1, 1, LEAF);
        assertThat(pkixEe.matches(LEAF)).isFalse();
    }

    @Test
    void thePresentationFormIsParsedOrRefused() {
        assertThat(TlsaRecord.parse("3 1 1 0a0B").data()).containsExactly(0x0a, 0x0b);
        assertThatThrownBy(() -> TlsaRecord.parse("3 1 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TlsaRecord.parse("3 1 1 xyz0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TlsaRecord.parse("3 1 1 abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TlsaRecord.parse("300 1 1 ab")).isInstanceOf(IllegalArgumentException.class);
    }
}

package io.github.jamesmtasts.dane;

import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.utils.base16;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Objects;

/**
 * One TLSA record (RFC 6698 §2.1): certificate usage, selector, matching type and the association data. Immutable.
 */
public final class TlsaRecord {
    /** RFC 7218 §2.1: DANE-TA(2), a trust anchor that the chain must lead to. */
    public static final int DANE_TA = 2;
    /** RFC 7218 §2.1: DANE-EE(3), the server's own certificate or key. */
    public static final int DANE_EE = 3;
    /** RFC 7218 §2.2: Cert(0), the whole certificate. */
    public static final int CERT = 0;
    /** RFC 7218 §2.2: SPKI(1), the SubjectPublicKeyInfo. */
    public static final int SPKI = 1;
    /** RFC 7218 §2.3: Full(0), SHA2-256(1), SHA2-512(2). */
    public static final int FULL = 0;
    public static final int SHA2_256 = 1;
    public static final int SHA2_512 = 2;

    private final int usage;
    private final int selector;
    private final int matchingType;
    private final byte[] data;

    public TlsaRecord(int usage, int selector, int matchingType, byte[] data) {
        this.usage = requireOctet(usage, "usage");
        this.selector = requireOctet(selector, "selector");
        this.matchingType = requireOctet(matchingType, "matchingType");
        this.data = Objects.requireNonNull(data, "data").clone();
    }

    /** The record as dnsjava parsed it off the wire. */
    public static TlsaRecord of(TLSARecord record) {
        return new TlsaRecord(record.getCertificateUsage(), record.getSelector(), record.getMatchingType(),
            record.getCertificateAssociationData());
    }

    /** Reads the presentation form {@code "3 1 1 <hex>"} (RFC 6698 §2.2). */
    public static TlsaRecord parse(String text) {
        String[] fields = text.trim().split("\\s+", 4);
        if (fields.length != 4) {
            throw new IllegalArgumentException("a TLSA record is 'usage selector matching-type data': " + text);
        }
        String hex = fields[3].replaceAll("\\s", "");
        byte[] data = hex.matches("([0-9A-Fa-f]{2})+") ? base16.fromString(hex) : null;
        if (data == null) {
            throw new IllegalArgumentException("the association data of a TLSA record is hexadecimal: " + text);
        }
        try {
            return new TlsaRecord(Integer.parseInt(fields[0]), Integer.parseInt(fields[1]), Integer.parseInt(fields[2]), data);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a TLSA record: " + text, e);
        }
    }

    /** The DANE-EE SPKI SHA2-256 record ({@code 3 1 1}) that matches a certificate: what RFC 7671 §5.1 recommends. */
    public static TlsaRecord daneEe(X509Certificate certificate) {
        return forCertificate(DANE_EE, SPKI, SHA2_256, certificate);
    }

    /** The record of the given usage, selector and matching type that matches {@code certificate}. */
    public static TlsaRecord forCertificate(int usage, int selector, int matchingType, X509Certificate certificate) {
        return new TlsaRecord(usage, selector, matchingType, digest(matchingType, selected(selector, certificate)));
    }

    /**
     * Whether an SMTP client may use the record (RFC 7672 §3.1): only DANE-TA(2) and DANE-EE(3), a known
     * selector and matching type, and a digest of the length its matching type gives (RFC 7671 §5.4).
     */
    public boolean usable() {
        // RFC 7672 §3.1.3: PKIX-TA(0) and PKIX-EE(1) are unusable for SMTP: no CA list is agreed for MX hosts.
        boolean usageKnown = usage == DANE_TA || usage == DANE_EE;
        boolean selectorKnown = selector == CERT || selector == SPKI;
        boolean lengthRight = matchingType == FULL ? data.length > 0
            : matchingType == SHA2_256 ? data.length == 32
            : matchingType == SHA2_512 && data.length == 64;
        return usageKnown && selectorKnown && lengthRight;
    }

    /** Whether the certificate's selected part (RFC 6698 §2.1.3) equals the association data after the digest. */
    public boolean matches(X509Certificate certificate) {
        return usable() && MessageDigest.isEqual(data, digest(matchingType, selected(selector, certificate)));
    }

    public int usage() {
        return usage;
    }

    public int selector() {
        return selector;
    }

    public int matchingType() {
        return matchingType;
    }

    public byte[] data() {
        return data.clone();
    }

    private static byte[] selected(int selector, X509Certificate certificate) {
        try {
            return selector == CERT ? certificate.getEncoded() : certificate.getPublicKey().getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("a certificate that cannot be encoded: " + certificate.getSubjectX500Principal(), e);
        }
    }

    private static byte[] digest(int matchingType, byte[] selected) {
        if (matchingType == FULL) {
            return selected;
        }
        if (matchingType != SHA2_256 && matchingType != SHA2_512) {
            throw new IllegalArgumentException("unknown TLSA matching type " + matchingType);
        }
        String algorithm = matchingType == SHA2_256 ? "SHA-256" : "SHA-512";
        try {
            return MessageDigest.getInstance(algorithm).digest(selected);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + algorithm, e);
        }
    }

    private static int requireOctet(int value, String what) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException(what + " is one octet: " + value);
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TlsaRecord)) {
            return false;
        }
        TlsaRecord other = (TlsaRecord) o;
        return usage == other.usage && selector == other.selector && matchingType == other.matchingType
            && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(usage, selector, matchingType, Arrays.hashCode(data));
    }

    /** The presentation form, as RFC 8460 §4.4 wants it in a report's {@code policy-string}. */
    @Override
    public String toString() {
        return usage + " " + selector + " " + matchingType + " " + base16.toString(data);
    }
}

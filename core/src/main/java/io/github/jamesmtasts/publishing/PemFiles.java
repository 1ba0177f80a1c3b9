package io.github.jamesmtasts.publishing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Certificate chains and private keys from PEM files (RFC 7468), as certbot and OpenSSL write them, with the
 * JDK alone. Keys may be PKCS#8 ({@code PRIVATE KEY}), PKCS#1 RSA ({@code RSA PRIVATE KEY}) or SEC1 EC
 * ({@code EC PRIVATE KEY}, with its named curve); the last two are wrapped into PKCS#8 for the JDK's key
 * factories. Encrypted keys are refused.
 */
final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
        "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    private static final String PKCS8 = "PRIVATE KEY";
    private static final String PKCS1_RSA = "RSA PRIVATE KEY";
    private static final String SEC1_EC = "EC PRIVATE KEY";
    private static final Set<String> KEY_LABELS = Set.of(PKCS8, PKCS1_RSA, SEC1_EC);
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC"};

    // DER (X.690) tags, and the algorithm identifiers of RFC 8017 Appendix C and RFC 5480 §2.1.1.
    private static final int INTEGER = 0x02;
    private static final int OCTET_STRING = 0x04;
    private static final int SEQUENCE = 0x30;
    private static final int CONTEXT_0 = 0xa0;
    private static final byte[] VERSION_0 = {INTEGER, 1, 0};
    private static final byte[] RSA_ENCRYPTION_NULL = {
        0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    private static final byte[] ID_EC_PUBLIC_KEY = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private PemFiles() {
    }

    /** The certificates of a PEM file, in order (leaf first in a {@code fullchain.pem}). */
    static List<X509Certificate> certificates(Path file) throws UnusableCertificateException {
        List<X509Certificate> chain = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            factory.generateCertificates(in).forEach(certificate -> chain.add((X509Certificate) certificate));
        } catch (IOException | CertificateException e) {
            throw new UnusableCertificateException(file, "not a PEM certificate chain", e);
        }
        if (chain.isEmpty()) {
            throw new UnusableCertificateException(file, "no certificate");
        }
        return chain;
    }

    /** The first private key of a PEM file. */
    static PrivateKey privateKey(Path file) throws UnusableCertificateException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UnusableCertificateException(file, "cannot read", e);
        }
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            String label = block.group(1);
            if (KEY_LABELS.contains(label)) {
                return decode(file, label, block.group(2));
            }
            if (label.endsWith(PKCS8)) {
                throw new UnusableCertificateException(file, "a " + label + " is not supported; write the key unencrypted"
                    + " in PKCS#8 (openssl pkcs8 -topk8 -nocrypt)");
            }
        }
        throw new UnusableCertificateException(file, "no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    private static PrivateKey decode(Path file, String label, String base64) throws UnusableCertificateException {
        byte[] pkcs8;
        try {
            byte[] der = Base64.getMimeDecoder().decode(base64);
            pkcs8 = label.equals(PKCS8) ? der : label.equals(PKCS1_RSA) ? pkcs8(RSA_ENCRYPTION_NULL, der) : pkcs8FromSec1(der);
        } catch (IllegalArgumentException e) {
            throw new UnusableCertificateException(file, "a malformed " + label, e);
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException notThisAlgorithm) {
                // try the next one
            }
        }
        throw new UnusableCertificateException(file, "the " + label + " is neither an RSA nor an EC key");
    }

    /** RFC 5915 §3: the SEC1 key names its curve in {@code [0] parameters}, which PKCS#8 wants in the algorithm. */
    private static byte[] pkcs8FromSec1(byte[] sec1) {
        for (byte[] field : children(sec1)) {
            if ((field[0] & 0xff) == CONTEXT_0) {
                return pkcs8(concat(ID_EC_PUBLIC_KEY, children(field).get(0)), sec1);
            }
        }
        throw new IllegalArgumentException("the EC PRIVATE KEY does not name its curve");
    }

    /** RFC 5208 §5: {@code SEQUENCE { version 0, SEQUENCE { algorithm }, OCTET STRING { key } }}. */
    private static byte[] pkcs8(byte[] algorithm, byte[] key) {
        return tlv(SEQUENCE, concat(VERSION_0, tlv(SEQUENCE, algorithm), tlv(OCTET_STRING, key)));
    }

    /** The elements (each a whole TLV) of a constructed DER value. */
    private static List<byte[]> children(byte[] tlv) {
        int[] header = header(tlv, 0);
        List<byte[]> children = new ArrayList<>();
        int at = header[0];
        int end = header[0] + header[1];
        if (end > tlv.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        while (at < end) {
            int[] child = header(tlv, at);
            int childEnd = child[0] + child[1];
            if (childEnd > end) {
                throw new IllegalArgumentException("truncated DER");
            }
            byte[] copy = new byte[childEnd - at];
            System.arraycopy(tlv, at, copy, 0, copy.length);
            children.add(copy);
            at = childEnd;
        }
        return children;
    }

    /** Of the TLV at {@code at}: where its contents start and how long they are. */
    private static int[] header(byte[] der, int at) {
        if (at + 2 > der.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        int first = der[at + 1] & 0xff;
        if (first < 0x80) {
            return new int[] {at + 2, first};
        }
        int octets = first & 0x7f;
        if (octets == 0 || octets > 3 || at + 2 + octets > der.length) {
            throw new IllegalArgumentException("unsupported DER length");
        }
        int length = 0;
        for (int i = 0; i < octets; i++) {
            length = (length << 8) | (der[at + 2 + i] & 0xff);
        }
        return new int[] {at + 2 + octets, length};
    }

    private static byte[] tlv(int tag, byte[] contents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = contents.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int octets = length < 0x100 ? 1 : length < 0x10000 ? 2 : 3;
            out.write(0x80 | octets);
            for (int i = octets - 1; i >= 0; i--) {
                out.write(length >> (8 * i));
            }
        }
        out.writeBytes(contents);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}

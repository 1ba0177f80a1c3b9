package io.github.jamesmtasts.testkit;

import io.netty.util.NetUtil;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A certificate authority made at test time, and the certificates it (or nobody) signs.
 * Nothing is read from disk: every run has fresh keys.
 */
public final class TestCa {
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private final KeyPair keyPair;
    private final X509Certificate certificate;

    private TestCa(KeyPair keyPair, X509Certificate certificate) {
        this.keyPair = keyPair;
        this.certificate = certificate;
    }

    /** A new root CA named {@code cn}. */
    public static TestCa create(String cn) {
        try {
            KeyPair keys = newKeyPair();
            X500Name name = new X500Name("CN=" + cn);
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))), name, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new TestCa(keys, sign(builder, keys));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make a test CA", e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** A trust store holding only this CA. */
    public KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", certificate);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client TLS context that trusts only this CA (the JDK's PKIX trust manager over {@link #trustStore()}). */
    public SSLContext clientContext() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes this CA's certificate as PEM, for {@code --ca-file}. */
    public Path writePem(Path file) {
        try {
            Files.writeString(file, pem(certificate), StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server certificate valid now for the given DNS names, signed by this CA. */
    public Issued issue(String... dnsNames) {
        Instant now = Instant.now();
        return issue(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)), dnsNames);
    }

    /** A server certificate for the given DNS names and validity, signed by this CA. */
    public Issued issue(Instant notBefore, Instant notAfter, String... dnsNames) {
        return issueWith(this, notBefore, notAfter, dnsNames);
    }

    /**
     * A server certificate valid now, signed by this CA, whose subject is {@code CN=commonName} and
     * whose subjectAltName lists {@code altNames}: each an IP address literal (an {@code iPAddress})
     * or else a DNS name, sent as given. Without alt names it has no subjectAltName at all, so that
     * only its subject names a host (a CN-ID).
     */
    public Issued issueNamed(String commonName, String... altNames) {
        Instant now = Instant.now();
        return issueWith(this, commonName, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)), altNames);
    }

    /** A self-signed server certificate, trusted by nobody. */
    public static Issued selfSigned(String... dnsNames) {
        Instant now = Instant.now();
        return issueWith(null, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)), dnsNames);
    }

    private static Issued issueWith(TestCa issuer, Instant notBefore, Instant notAfter, String... dnsNames) {
        return issueWith(issuer, dnsNames.length > 0 ? dnsNames[0] : "no-name", notBefore, notAfter, dnsNames);
    }

    private static Issued issueWith(TestCa issuer, String commonName, Instant notBefore, Instant notAfter, String... altNames) {
        try {
            KeyPair keys = newKeyPair();
            X500Name subject = new X500Name("CN=" + commonName);
            X500Name issuerName = issuer == null ? subject : new X500Name(issuer.certificate.getSubjectX500Principal().getName());
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName, serial(),
                Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
            if (altNames.length > 0) {
                GeneralName[] names = new GeneralName[altNames.length];
                for (int i = 0; i < altNames.length; i++) {
                    boolean address = NetUtil.isValidIpV4Address(altNames[i]) || NetUtil.isValidIpV6Address(altNames[i]);
                    names[i] = new GeneralName(address ? GeneralName.iPAddress : GeneralName.dNSName, altNames[i]);
                }
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            X509Certificate cert = sign(builder, issuer == null ? keys : issuer.keyPair);
            List<X509Certificate> chain = issuer == null ? List.of(cert) : List.of(cert, issuer.certificate);
            return new Issued(keys, chain);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot issue a test certificate", e);
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws GeneralSecurityException {
        try {
            ContentSigner contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    static String pem(X509Certificate cert) {
        try {
            return pem("CERTIFICATE", cert.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 7468: the DER bytes in base64 lines of 64 between {@code BEGIN} and {@code END} lines. */
    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
            + "\n-----END " + label + "-----\n";
    }

    /** A key and its certificate chain (leaf first). */
    public static final class Issued {
        private final KeyPair keyPair;
        private final List<X509Certificate> chain;

        Issued(KeyPair keyPair, List<X509Certificate> chain) {
            this.keyPair = keyPair;
            this.chain = List.copyOf(chain);
        }

        public KeyPair keyPair() {
            return keyPair;
        }

        public List<X509Certificate> chain() {
            return chain;
        }

        /** A PKCS12 key store with the key and chain under alias {@code server}, password {@code changeit}. */
        public KeyStore keyStore() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("server", keyPair.getPrivate(), "changeit".toCharArray(),
                    chain.toArray(new X509Certificate[0]));
                return store;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** A server TLS context presenting this key and chain. */
        public SSLContext serverContext() {
            try {
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(keyStore(), "changeit".toCharArray());
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keys.getKeyManagers(), null, null);
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * Writes the chain and key as certbot lays them out: {@code fullchain.pem} (leaf first) and
         * {@code privkey.pem} (unencrypted PKCS#8, {@code BEGIN PRIVATE KEY}) in {@code directory}, created if
         * missing. Each file is written aside and moved into place, as a renewal replaces it.
         */
        public Path writePemFiles(Path directory) {
            try {
                Files.createDirectories(directory);
                StringBuilder chainPem = new StringBuilder();
                chain.forEach(cert -> chainPem.append(pem(cert)));
                replace(directory.resolve("fullchain.pem"), chainPem.toString());
                replace(directory.resolve("privkey.pem"), pem("PRIVATE KEY", keyPair.getPrivate().getEncoded()));
                return directory;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void replace(Path file, String text) throws IOException {
            Path aside = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".new");
            Files.writeString(aside, text, StandardCharsets.US_ASCII);
            Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }

        /** Writes {@link #keyStore()} to a file, for servers configured by path (James's {@code keystore}). */
        public Path writeKeyStore(Path file) {
            try (var out = Files.newOutputStream(file)) {
                keyStore().store(out, "changeit".toCharArray());
                return file;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}

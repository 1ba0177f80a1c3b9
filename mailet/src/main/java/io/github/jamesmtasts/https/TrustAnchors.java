package io.github.jamesmtasts.https;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Optional;

/** The roots a server certificate may chain to: the JVM's default trust store, plus CAs from a PEM file. */
final class TrustAnchors {
    private TrustAnchors() {
    }

    /**
     * A PKIX trust manager over the JVM's default roots and, when given, every certificate of a PEM file.
     *
     * @throws IOException if the PEM file cannot be read or holds no certificate
     */
    static X509ExtendedTrustManager trustManager(Optional<Path> extraCaPem) throws IOException {
        try {
            X509ExtendedTrustManager jvmDefault = pkix(null);
            if (extraCaPem.isEmpty()) {
                return jvmDefault;
            }
            KeyStore roots = KeyStore.getInstance("PKCS12");
            roots.load(null, null);
            int index = 0;
            for (X509Certificate root : jvmDefault.getAcceptedIssuers()) {
                roots.setCertificateEntry("jvm-" + index++, root);
            }
            for (Certificate extra : readPem(extraCaPem.get())) {
                roots.setCertificateEntry("extra-" + index++, extra);
            }
            return pkix(roots);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build the trust store: " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager pkix(KeyStore roots) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(roots);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager) {
                return (X509ExtendedTrustManager) manager;
            }
        }
        throw new GeneralSecurityException("the JDK offers no X509ExtendedTrustManager");
    }

    private static Collection<? extends Certificate> readPem(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IOException("no certificate in " + pem);
            }
            return certificates;
        }
    }
}

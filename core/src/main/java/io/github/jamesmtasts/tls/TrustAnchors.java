package io.github.jamesmtasts.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The root certificates a verified session trusts (RFC 8461 §4.2: the chain must lead to a root
 * the sending MTA trusts): the JVM's trust store or one configured, plus any extra CA certificates
 * (James admins give them as a PEM file, {@code --ca-file}). Immutable.
 */
public final class TrustAnchors {
    private static final TrustAnchors JVM_DEFAULT = new TrustAnchors(null, List.of());

    private final KeyStore baseStore;
    private final List<X509Certificate> extraCertificates;

    private TrustAnchors(KeyStore baseStore, List<X509Certificate> extraCertificates) {
        this.baseStore = baseStore;
        this.extraCertificates = List.copyOf(extraCertificates);
    }

    /** The JVM's default trust store ({@code cacerts}, or {@code javax.net.ssl.trustStore}). */
    public static TrustAnchors jvmDefault() {
        return JVM_DEFAULT;
    }

    /** Only the trusted certificates of {@code store}, instead of the JVM's. */
    public static TrustAnchors of(KeyStore store) {
        return new TrustAnchors(Objects.requireNonNull(store, "store"), List.of());
    }

    /** These anchors plus {@code certificates}. */
    public TrustAnchors with(Collection<X509Certificate> certificates) {
        List<X509Certificate> all = new ArrayList<>(extraCertificates);
        all.addAll(certificates);
        return new TrustAnchors(baseStore, all);
    }

    /** These anchors plus every certificate of a PEM file. */
    public TrustAnchors withPemFile(Path pemFile) throws IOException {
        try (InputStream in = Files.newInputStream(pemFile)) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new IOException("no certificate in " + pemFile);
            }
            return with(certificates);
        } catch (CertificateException e) {
            throw new IOException("cannot read the CA certificates of " + pemFile, e);
        }
    }

    public List<X509Certificate> extraCertificates() {
        return extraCertificates;
    }

    /** The JDK's PKIX trust manager over these anchors. */
    public X509ExtendedTrustManager pkixTrustManager() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(extraCertificates.isEmpty() ? baseStore : mergedStore());
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager) {
                    return (X509ExtendedTrustManager) manager;
                }
            }
            throw new IllegalStateException("the PKIX trust manager factory made no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the trust anchors", e);
        }
    }

    private KeyStore mergedStore() throws GeneralSecurityException {
        KeyStore merged = KeyStore.getInstance("PKCS12");
        try {
            merged.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot make an empty key store", e);
        }
        int index = 0;
        X509TrustManager base = new TrustAnchors(baseStore, List.of()).pkixTrustManager();
        for (X509Certificate anchor : base.getAcceptedIssuers()) {
            merged.setCertificateEntry("base-" + index++, anchor);
        }
        for (X509Certificate extra : extraCertificates) {
            merged.setCertificateEntry("extra-" + index++, extra);
        }
        return merged;
    }
}

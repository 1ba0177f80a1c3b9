package io.github.jamesmtasts.smtp.tls;

import io.github.jamesmtasts.result.ResultType;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Checks an MX certificate as RFC 8461 §4.2 demands, with the JDK's own checks, and names what is
 * wrong by its RFC 8460 result type.
 *
 * <p>It runs the JDK's PKIX trust manager twice. First without the connection, which validates the
 * chain only (path to a trusted root, validity dates, signatures): a failure there is classified by
 * {@link TlsFailureClassifier#classifyPathFailure}. Then with the {@link SSLEngine}, which repeats
 * the chain check and adds the JDK's endpoint identification against the MX host name (the engine's
 * SNI name and peer host, both set by {@link TlsPolicy}): as the chain already passed, a failure
 * there is {@code certificate-host-mismatch}.
 *
 * <p>Which JDK identification: {@link TlsPolicy} sets the algorithm {@code "LDAPS"}, not
 * {@code "HTTPS"}. The JDK's {@code HTTPS} rule is RFC 2818's, which lets a {@code *} stand in any
 * label ({@code *.*.example} would match); its {@code LDAPS} rule (RFC 2830 §3.6) accepts a wildcard
 * only in the left-most label, as RFC 6125 §6.4.3 and RFC 8461 §4.2 require. Both rules fall back
 * to the subject's common name when the certificate has no {@code dNSName}; RFC 8461 §4.2 wants a
 * DNS-ID in the subjectAltName, so a certificate without any {@code dNSName} is refused here before
 * the JDK looks at names. (The JDK would still accept a partial left-most label such as
 * {@code m*.example.com}; public CAs may not issue those, CA/B Forum Baseline Requirements
 * §7.1.4.2.1.)
 */
public final class CertificateVerifier extends X509ExtendedTrustManager {
    // RFC 5280 §4.2.1.6: GeneralName tag of dNSName, as X509Certificate.getSubjectAlternativeNames lists it.
    private static final int DNS_NAME = 2;

    private final X509ExtendedTrustManager pkix;

    public CertificateVerifier(X509TrustManager pkix) {
        if (!(Objects.requireNonNull(pkix, "pkix") instanceof X509ExtendedTrustManager)) {
            throw new IllegalArgumentException("the JDK's PKIX trust manager is an X509ExtendedTrustManager; got " + pkix);
        }
        this.pkix = (X509ExtendedTrustManager) pkix;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        validateChain(chain, authType);
        String host = engine.getPeerHost();
        requireDnsId(chain[0], host);
        try {
            pkix.checkServerTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            throw new CertificateRejection(ResultType.CERTIFICATE_HOST_MISMATCH,
                "certificate " + subject(chain[0]) + " is not valid for " + host + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateRejection(ResultType.VALIDATION_FAILURE, "MX certificates are checked on an SSLEngine only", null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateRejection(ResultType.VALIDATION_FAILURE,
            "an MX certificate cannot be checked without the connection that names the host", null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("this trust manager checks servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("this trust manager checks servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("this trust manager checks servers only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }

    private void validateChain(X509Certificate[] chain, String authType) throws CertificateRejection {
        try {
            pkix.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            throw new CertificateRejection(TlsFailureClassifier.classifyPathFailure(e),
                "certificate " + subject(chain[0]) + ": " + e.getMessage(), e);
        }
    }

    private static void requireDnsId(X509Certificate leaf, String host) throws CertificateRejection {
        Collection<List<?>> names;
        try {
            names = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new CertificateRejection(ResultType.VALIDATION_FAILURE, "unreadable subjectAltName: " + e.getMessage(), e);
        }
        boolean hasDnsId = names != null && names.stream().anyMatch(name -> Integer.valueOf(DNS_NAME).equals(name.get(0)));
        if (!hasDnsId) {
            throw new CertificateRejection(ResultType.CERTIFICATE_HOST_MISMATCH,
                "certificate " + subject(leaf) + " has no DNS name in subjectAltName, so it cannot be valid for " + host, null);
        }
    }

    private static String subject(X509Certificate certificate) {
        return "'" + certificate.getSubjectX500Principal().getName() + "'";
    }
}

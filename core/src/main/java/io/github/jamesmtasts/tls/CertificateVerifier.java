package io.github.jamesmtasts.tls;

import io.netty.util.NetUtil;

import io.github.jamesmtasts.result.ResultType;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
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
 * SNI name and peer host, both set by {@link TlsHandlers}): as the chain already passed, a failure
 * there is {@code certificate-host-mismatch}.
 *
 * <p>The JDK's identification is the RFC 6125 rule of {@link HostIdentity} ({@link TlsHandlers} sets
 * it), and a certificate without a DNS-ID ({@link HostIdentity#hasDnsId}) is refused here before
 * the JDK looks at names: the JDK would fall back to the subject's common name.
 */
public final class CertificateVerifier extends ServerTrustManager {
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
            throw new RejectedCertificateException(ResultType.CERTIFICATE_HOST_MISMATCH,
                "certificate " + subject(chain[0]) + " is not valid for " + host + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new RejectedCertificateException(ResultType.VALIDATION_FAILURE, "MX certificates are checked on an SSLEngine only", null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new RejectedCertificateException(ResultType.VALIDATION_FAILURE,
            "an MX certificate cannot be checked without the connection that names the host", null);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }

    private void validateChain(X509Certificate[] chain, String authType) throws RejectedCertificateException {
        try {
            pkix.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            throw new RejectedCertificateException(TlsFailureClassifier.classifyPathFailure(e),
                "certificate " + subject(chain[0]) + ": " + e.getMessage(), e);
        }
    }

    private static void requireDnsId(X509Certificate leaf, String host) throws RejectedCertificateException {
        if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
            // An https URI with an IP literal (a TLS-RPT rua): the JDK matches it against the iPAddress names.
            return;
        }
        boolean hasDnsId;
        try {
            hasDnsId = HostIdentity.hasDnsId(leaf);
        } catch (CertificateParsingException e) {
            throw new RejectedCertificateException(ResultType.VALIDATION_FAILURE, "unreadable subjectAltName: " + e.getMessage(), e);
        }
        if (!hasDnsId) {
            throw new RejectedCertificateException(ResultType.CERTIFICATE_HOST_MISMATCH,
                "certificate " + subject(leaf) + " has no DNS name in subjectAltName, so it cannot be valid for " + host, null);
        }
    }

    private static String subject(X509Certificate certificate) {
        return "'" + certificate.getSubjectX500Principal().getName() + "'";
    }
}

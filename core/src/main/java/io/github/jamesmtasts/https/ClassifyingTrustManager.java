package io.github.jamesmtasts.https;

import io.github.jamesmtasts.trust.HostIdentity;
import io.netty.util.NetUtil;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;

/**
 * The JDK's PKIX trust manager, which also says why it rejected a server certificate. The decision
 * is the JDK's (path validation, then endpoint identification of the host name the engine was made
 * for, by the rule of {@link HostIdentity}), and a certificate the JDK accepted for a host name is
 * still refused as {@link CertificateProblem#HOST_MISMATCH} without a DNS-ID. After a rejection by the
 * JDK its checks are asked again, one part at a time, to name the problem: if the path alone
 * validates, the host name was wrong; else an expired leaf is "expired"; else the chain is not
 * trusted. Only connections on an {@link SSLEngine} are checked, as the client has no other: the
 * {@link Socket} form refuses every certificate, so that none passes without the DNS-ID check.
 */
final class ClassifyingTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager delegate;

    ClassifyingTrustManager(X509ExtendedTrustManager delegate) {
        this.delegate = delegate;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        try {
            delegate.checkServerTrusted(chain, authType, engine);
        } catch (CertificateException rejected) {
            throw new CertificateProblemException(classify(chain, authType), rejected);
        }
        requireDnsId(chain[0], engine.getPeerHost());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("server certificates are checked on an SSLEngine only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }

    /**
     * RFC 8461 §3.3: the policy host must be named by a DNS-ID, which the JDK's rule does not insist
     * on. An address literal (a report endpoint's URI may hold one) is no DNS name: RFC 6125 §1.7.2
     * leaves it out, and the JDK matched it against the certificate's iPAddress names.
     */
    private static void requireDnsId(X509Certificate leaf, String host) throws CertificateProblemException {
        if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
            return;
        }
        String refusal;
        try {
            if (HostIdentity.hasDnsId(leaf)) {
                return;
            }
            refusal = "has no DNS name in subjectAltName";
        } catch (CertificateParsingException unreadable) {
            refusal = "has an unreadable subjectAltName (" + unreadable.getMessage() + ")";
        }
        throw new CertificateProblemException(CertificateProblem.HOST_MISMATCH, new CertificateException("certificate '"
            + leaf.getSubjectX500Principal().getName() + "' " + refusal + ", so it cannot be valid for " + host));
    }

    private CertificateProblem classify(X509Certificate[] chain, String authType) {
        try {
            // Without an engine the JDK validates the path but identifies no endpoint.
            delegate.checkServerTrusted(chain, authType);
            return CertificateProblem.HOST_MISMATCH;
        } catch (CertificateException pathRejected) {
            return isOutOfValidity(chain) ? CertificateProblem.EXPIRED : CertificateProblem.NOT_TRUSTED;
        }
    }

    private static boolean isOutOfValidity(X509Certificate[] chain) {
        if (chain.length == 0) {
            return false;
        }
        try {
            chain[0].checkValidity();
            return false;
        } catch (CertificateExpiredException | CertificateNotYetValidException outside) {
            return true;
        }
    }
}

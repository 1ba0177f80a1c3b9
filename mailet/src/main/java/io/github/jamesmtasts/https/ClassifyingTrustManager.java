package io.github.jamesmtasts.https;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;

/**
 * The JDK's PKIX trust manager, which also says why it rejected a server certificate. The decision
 * is the JDK's alone (path validation, then endpoint identification of the host name the engine was
 * made for); only after a rejection are the JDK's checks asked again, one part at a time, to name the
 * problem: if the path alone validates, the host name was wrong; else an expired leaf is "expired";
 * else the chain is not trusted.
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
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        try {
            delegate.checkServerTrusted(chain, authType, socket);
        } catch (CertificateException rejected) {
            throw new CertificateProblemException(classify(chain, authType), rejected);
        }
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

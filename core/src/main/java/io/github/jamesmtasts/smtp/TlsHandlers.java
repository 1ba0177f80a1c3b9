package io.github.jamesmtasts.smtp;

import io.github.jamesmtasts.dane.DaneVerifier;
import io.github.jamesmtasts.dane.HostTlsa;
import io.github.jamesmtasts.tls.CertificateVerifier;
import io.github.jamesmtasts.tls.HostIdentity;
import io.github.jamesmtasts.tls.TrustAnchors;

import java.security.GeneralSecurityException;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

/**
 * The TLS a session asks for after STARTTLS, per stance. Holds one client {@link SslContext} for each
 * and makes a fresh {@link SslHandler} per connection.
 *
 * <ul>
 *   <li>Verified (RFC 8461 §4.2): TLS 1.2 or 1.3 only; SNI is the MX host name (RFC 8461 §7.1 / RFC
 *       6066 §3); the chain and the name are checked by {@link CertificateVerifier} with the JDK's
 *       PKIX trust manager and endpoint identification.</li>
 *   <li>DANE (RFC 7672 §3): TLS 1.2 or 1.3; SNI is the TLSA base domain (§8.1); the chain is checked by a
 *       {@link DaneVerifier} for the MX target's TLSA records, made for that one connection.</li>
 *   <li>Opportunistic (RFC 3207, RFC 7435), also for the encrypted stance (RFC 7672 §2.2): the JDK's default
 *       protocols (it prefers the newest and refuses those it disabled), any certificate accepted: an
 *       unauthenticated encryption still beats plaintext.</li>
 * </ul>
 */
public final class TlsHandlers {
    // A verified session runs on TLS 1.2 or later: RFC 8996 retired TLS 1.0 and 1.1.
    private static final List<String> VERIFIED_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final SslContext verified;
    private final SslContext opportunistic;

    public TlsHandlers(TrustAnchors anchors) {
        try {
            this.verified = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .trustManager(new CertificateVerifier(anchors.pkixTrustManager()))
                .protocols(VERIFIED_PROTOCOLS)
                .build();
            this.opportunistic = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot make the TLS client contexts", e);
        }
    }

    /**
     * A handler for the verified stance. Throws {@link IllegalArgumentException} when {@code mxHost}
     * is no valid SNI host name (an IP literal, say): such a name can hold no DNS-ID either.
     */
    public SslHandler verifiedHandler(ByteBufAllocator allocator, String mxHost, int port) {
        SSLEngine engine = verified.newEngine(allocator, mxHost, port);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(mxHost)));
        // RFC 8461 §4.2: the MX host name as a DNS-ID, RFC 6125's wildcard rule.
        parameters.setEndpointIdentificationAlgorithm(HostIdentity.ENDPOINT_IDENTIFICATION);
        engine.setSSLParameters(parameters);
        return new SslHandler(engine);
    }

    /** A handler for the DANE stance, checking the certificate against {@code tlsa} alone. */
    public SslHandler daneHandler(HostTlsa tlsa, int port) {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new DaneVerifier(tlsa)}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no TLS client context", e);
        }
        SSLEngine engine = context.createSSLEngine(tlsa.baseDomain(), port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(VERIFIED_PROTOCOLS.toArray(new String[0]));
        // RFC 7672 §8.1: the client sends the TLSA base domain as SNI.
        parameters.setServerNames(List.of(new SNIHostName(tlsa.baseDomain())));
        engine.setSSLParameters(parameters);
        return new SslHandler(engine);
    }

    /** A handler for the opportunistic stance; SNI is sent when {@code mxHost} is a valid host name. */
    public SslHandler opportunisticHandler(ByteBufAllocator allocator, String mxHost, int port) {
        SSLEngine engine = opportunistic.newEngine(allocator, mxHost, port);
        if (isSniHostName(mxHost)) {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(mxHost)));
            engine.setSSLParameters(parameters);
        }
        return new SslHandler(engine);
    }

    private static boolean isSniHostName(String name) {
        try {
            new SNIHostName(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

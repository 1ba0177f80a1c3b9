package io.github.jamesmtasts.assembly;

import io.github.jamesmtasts.dns.DnsClient;
import io.github.jamesmtasts.https.HttpsClient;
import io.github.jamesmtasts.https.HttpsSettings;
import io.github.jamesmtasts.policy.FetchTimer;
import io.github.jamesmtasts.policy.PolicyFetcher;
import io.github.jamesmtasts.policy.PolicySettings;
import io.github.jamesmtasts.smtp.NettySmtpSender;
import io.github.jamesmtasts.smtp.SmtpSettings;
import io.github.jamesmtasts.tls.TrustAnchors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The extension's network clients, made one way for the James module and for the {@code mta-sts} command: one
 * DNS client, one set of {@link TrustAnchors} (the JVM's roots plus the admin's CA file, read once), one HTTPS
 * client for policy fetches and report uploads, and SMTP clients trusting the same anchors. {@link #close()}
 * stops the HTTPS client; each SMTP client is closed by its owner.
 */
public final class Clients implements AutoCloseable {
    private final DnsClient dns;
    private final TrustAnchors trustAnchors;
    private final HttpsClient https;

    private Clients(DnsClient dns, TrustAnchors trustAnchors, HttpsClient https) {
        this.dns = dns;
        this.trustAnchors = trustAnchors;
        this.https = https;
    }

    /**
     * @param caFile a PEM file of CA certificates trusted besides the JVM's roots (RFC 8461 §3.3, §4.2)
     * @throws IOException if the CA file cannot be read, or TLS cannot be set up
     */
    public static Clients start(DnsClient dns, Optional<Path> caFile, HttpsSettings https) throws IOException {
        TrustAnchors anchors = caFile.isPresent() ? TrustAnchors.jvmDefault().withPemFile(caFile.get()) : TrustAnchors.jvmDefault();
        return new Clients(Objects.requireNonNull(dns, "dns"), anchors, HttpsClient.create(dns, https, anchors));
    }

    public DnsClient dns() {
        return dns;
    }

    public TrustAnchors trustAnchors() {
        return trustAnchors;
    }

    public HttpsClient https() {
        return https;
    }

    /** The policy fetcher (RFC 8461 §3.3) over the shared HTTPS client. */
    public PolicyFetcher policyFetcher(PolicySettings settings, FetchTimer timer) {
        return new PolicyFetcher(https, settings, timer);
    }

    /** A new SMTP client with these settings, trusting the shared anchors; its caller closes it. */
    public NettySmtpSender smtpSender(SmtpSettings.Builder settings) {
        return new NettySmtpSender(settings.trustAnchors(trustAnchors).build());
    }

    @Override
    public void close() {
        https.close();
    }
}

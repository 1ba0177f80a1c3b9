package io.github.jamesmtasts.james.owndomains;

import io.github.jamesmtasts.publishing.CertificateDirectory;
import io.github.jamesmtasts.publishing.PolicyServer;
import io.github.jamesmtasts.publishing.Reply;
import io.github.jamesmtasts.tlsrpt.receiving.IntakeResult;
import io.github.jamesmtasts.tlsrpt.receiving.ReportIntake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * What James does for its own domains, started once James runs ({@link OwnDomainsStart}): the HTTPS listener
 * that serves their policies and takes TLS-RPT reports by POST (when {@code serve.enabled}), the reports'
 * intake shared with the {@link TlsRptReportReceiver} mailet, and the {@link OwnDomainWatch}.
 */
public final class OwnDomains implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OwnDomains.class);

    private final OwnDomainSettings settings;
    private final ServedPolicies policies;
    private final Optional<ReportIntake> intake;
    private final OwnDomainWatch watch;
    private boolean started;
    private PolicyServer server;

    public OwnDomains(OwnDomainSettings settings, ServedPolicies policies, Optional<ReportIntake> intake, OwnDomainWatch watch) {
        this.settings = settings;
        this.policies = policies;
        this.intake = intake;
        this.watch = watch;
    }

    /** Starts the watch and the listener, once; a second call does nothing. */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        watch.start();
        if (!settings.serve()) {
            LOG.info("James's own domains: {}", settings);
            return;
        }
        try {
            Files.createDirectories(settings.certificates());
            CertificateDirectory certificates = CertificateDirectory.load(settings.certificates());
            if (certificates.defaultContext().isEmpty()) {
                LOG.warn("James's own domains: no usable certificate in {} yet (<name>/fullchain.pem and <name>/privkey.pem):"
                    + " TLS handshakes fail until one is there; the directory is read again every minute", settings.certificates());
            }
            server = PolicyServer.start(new InetSocketAddress(settings.bind(), settings.port()), certificates, policies, this::receive,
                PolicyServer.Settings.builder().maxReportBytes(settings.maxReportBytes()).build());
            LOG.info("James's own domains: serving MTA-STS policies on {}; {}", server.address(), settings);
        } catch (IOException | RuntimeException e) {
            // Mail goes on without the listener: senders then keep the policies they hold, or send opportunistically.
            LOG.error("James's own domains: the MTA-STS policy listener on {}:{} could not start ({}); {}", settings.bind(),
                settings.port(), e.getMessage(), settings, e);
        }
    }

    public OwnDomainSettings settings() {
        return settings;
    }

    public ServedPolicies policies() {
        return policies;
    }

    public OwnDomainWatch watch() {
        return watch;
    }

    public Optional<ReportIntake> intake() {
        return intake;
    }

    /** The HTTPS {@code rua} of {@code domain} (RFC 8460 §3), when James serves its policy host. */
    public Optional<String> reportUri(String domain) {
        return settings.serve() ? Optional.of("https://" + "mta-sts." + domain + PolicyServer.Settings.defaults().reportPath())
            : Optional.empty();
    }

    /** RFC 8460 §5.4: a report POSTed to the listener. */
    private Reply receive(String contentType, byte[] body) {
        if (intake.isEmpty()) {
            return Reply.of(404, "TLS-RPT reports are not read here");
        }
        IntakeResult result = intake.get().receive(contentType, body);
        return Reply.of(result.httpStatus(), result.toString());
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}

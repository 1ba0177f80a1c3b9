package io.github.jamesmtasts.james;

import io.github.jamesmtasts.dns.DnssecClient;
import io.github.jamesmtasts.dns.ResolverTrust;
import io.github.jamesmtasts.assembly.Clients;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.github.jamesmtasts.delivery.Enforcement;
import io.github.jamesmtasts.delivery.EnforcementMode;
import io.github.jamesmtasts.delivery.MxDirectory;
import io.github.jamesmtasts.dns.DnsClient;
import io.github.jamesmtasts.state.CassandraClusterState;
import io.github.jamesmtasts.state.ClusterState;
import io.github.jamesmtasts.state.FileClusterState;
import io.github.jamesmtasts.state.SharedEnforcement;
import io.github.jamesmtasts.state.SharedPolicies;
import io.github.jamesmtasts.result.ResultSink;
import io.github.jamesmtasts.smtp.NettySmtpSender;
import io.github.jamesmtasts.tls.TrustAnchors;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.utils.PropertiesProvider;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Resolver;

import io.github.jamesmtasts.check.CheckClients;
import io.github.jamesmtasts.check.DomainCheck;
import io.github.jamesmtasts.james.owndomains.AlertMail;
import io.github.jamesmtasts.james.owndomains.OwnDomainSettings;
import io.github.jamesmtasts.james.owndomains.OwnDomainWatch;
import io.github.jamesmtasts.james.owndomains.ReportFindings;
import io.github.jamesmtasts.watch.ReadinessAdvice;
import io.github.jamesmtasts.policy.FetchTimer;
import io.github.jamesmtasts.smtp.SmtpSettings;
import io.github.jamesmtasts.watch.Alert;
import io.github.jamesmtasts.watch.FileWatchStore;
import io.github.jamesmtasts.watch.Watch;
import io.github.jamesmtasts.watch.WatchRun;
import io.github.jamesmtasts.james.owndomains.OwnDomains;
import io.github.jamesmtasts.james.owndomains.ServedPolicies;
import io.github.jamesmtasts.publishing.PolicyHistory;
import io.github.jamesmtasts.tlsrpt.receiving.FileReceivedReportStore;
import io.github.jamesmtasts.tlsrpt.receiving.ReportIntake;
import io.github.jamesmtasts.tlsrpt.receiving.ReportReader;
import io.github.jamesmtasts.policy.FilePolicyStore;
import io.github.jamesmtasts.policy.PolicyStore;
import io.github.jamesmtasts.policy.PolicyEngine;
import io.github.jamesmtasts.policy.PolicyResolver;
import io.github.jamesmtasts.policy.PolicySettings;
import io.github.jamesmtasts.tlsrpt.sending.HttpsReportUploader;
import io.github.jamesmtasts.tlsrpt.sending.TlsReporting;
import io.github.jamesmtasts.tlsrpt.TlsRptResolver;
import io.github.jamesmtasts.tlsrpt.sending.TlsRptSettings;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.mailet.MailetContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.inject.Provider;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The extension's Guice module, loaded by James through {@code conf/extensions.properties}
 * ({@code guice.extension.module=io.github.jamesmtasts.james.MtaStsModule}). It binds the singletons that
 * mailets, SMTP hooks and WebAdmin routes share: the DNS client, the policy engine (and its cache), the
 * enforcement switch and the TLS-RPT result sink.
 */
public class MtaStsModule extends AbstractModule {
    private static final Logger LOG = LoggerFactory.getLogger(MtaStsModule.class);

    @Provides
    @Singleton
    ExtensionProperties extensionProperties(PropertiesProvider properties) throws ConfigurationException {
        return ExtensionProperties.read(properties);
    }

    /**
     * dnsjava's default resolver and cache, which James sets to its own ({@code setAsDNSJavaDefault} in
     * {@code dnsservice.xml}). Created at first use, after James has configured its DNS service.
     */
    @Provides
    @Singleton
    DnsClient dnsClient() {
        return DnsClient.fromDnsjavaDefaults();
    }

    /**
     * The look-ups DANE decides on, through dnsjava's default resolver (James's DNS servers), whose AD bit is
     * believed only when every server is on loopback or listed in {@code dane.trustedResolvers}; the log says which.
     */
    @Provides
    @Singleton
    DnssecClient dnssecClient(ExtensionProperties properties) {
        Resolver resolver = Lookup.getDefaultResolver();
        ResolverTrust trust = ResolverTrust.of(resolver, properties.daneTrustedResolvers());
        if (trust.trusted()) {
            LOG.info("DANE (RFC 7672): {}, so their AD bit is trusted: TLSA records apply where DNSSEC validates them",
                trust.reason());
        } else {
            LOG.warn("DANE (RFC 7672) does not apply: {}, so their AD bit is not trusted", trust.reason());
        }
        return new DnssecClient(resolver, trust);
    }

    /**
     * MX, address and TLSA look-ups of delivery: with DNSSEC answers when the resolver's AD bit is trusted, else
     * through the shared, cached DNS client (and no DANE).
     */
    @Provides
    @Singleton
    MxDirectory mxDirectory(DnsClient dns, DnssecClient dnssec) {
        return dnssec.trust().trusted() ? MxDirectory.of(dnssec) : MxDirectory.of(dns);
    }

    /** The extension's counters and timers, through James's metrics. */
    @Provides
    @Singleton
    MtaStsMetrics metrics(MetricFactory factory) {
        return new MtaStsMetrics(factory);
    }

    @Provides
    @Singleton
    StateSettings stateSettings(ExtensionProperties properties, FileSystem fileSystem) throws IOException {
        return properties.stateSettings(jamesHome(fileSystem));
    }

    /**
     * What the nodes of a cluster share ({@code state.store}): files under the James home, or Cassandra through a
     * session the extension opens itself (James's memory server has none, and nothing is bound into James's own
     * sets: the extension's module lives in a child injector). The session is left to the JVM at shutdown, so that
     * TLS-RPT's last publication in its own shutdown hook still finds it open.
     */
    @Provides
    @Singleton
    ClusterState clusterState(StateSettings settings) throws IOException {
        ClusterState state = settings.store() == StateSettings.Store.CASSANDRA
            ? CassandraClusterState.open(CassandraSessions.open(settings), settings.keyspace(), settings.replicationFactor(), Clock.systemUTC())
            : new FileClusterState(settings.enforcementDirectory(), settings.tlsRptDirectory(), Clock.systemUTC());
        LOG.info("MTA-STS shared state: {}", settings);
        return state;
    }

    /** Who makes each delivery attempt: this node alone, or, with {@code state.sharedRepository}, its claim's winner. */
    @Provides
    @Singleton
    DeliveryClaims deliveryClaims(ClusterState state, StateSettings settings) {
        return settings.repositorySweep().map(sweep -> DeliveryClaims.shared(state, settings.node(), sweep))
            .orElseGet(() -> DeliveryClaims.alone(settings.node()));
    }

    /**
     * The switches WebAdmin changes at run time, stored in the {@link ClusterState} and read back from it every
     * {@code state.refreshInterval}; the mailet's {@code enforcement} parameter sets the global mode only when no
     * admin choice is stored.
     */
    @Provides
    @Singleton
    SharedEnforcement sharedEnforcement(ClusterState state, StateSettings settings) throws IOException {
        Enforcement enforcement = new Enforcement(EnforcementMode.ENFORCE, Clock.systemUTC());
        return closedAtShutdown(SharedEnforcement.start(state, enforcement, settings.refreshInterval()), "enforcement refresh");
    }

    @Provides
    @Singleton
    Enforcement enforcement(SharedEnforcement shared) {
        return shared.enforcement();
    }

    /**
     * The network clients (the composition root they share with the {@code mta-sts} command): the JDK's trusted
     * CAs plus the {@code caFile} of {@code mta-sts.properties}, for policy hosts and MX hosts; the HTTPS client
     * of policy fetches (RFC 8461 §3.3) and report uploads (RFC 8460 §5.4), resolving through the shared DNS
     * client.
     */
    @Provides
    @Singleton
    Clients clients(DnsClient dns, ExtensionProperties properties) throws IOException {
        return closedAtShutdown(Clients.start(dns, properties.caFile(), properties.httpsSettings()), "network clients");
    }

    /** Each {@link MtaStsRemoteDelivery} gets a Netty SMTP client of its own, from its parameters. */
    @Provides
    @Singleton
    SmtpSenderFactory smtpSenders(Clients clients) {
        return parameters -> clients.smtpSender(parameters.smtpSettings());
    }

    @Provides
    @Singleton
    PolicySettings policySettings(ExtensionProperties properties, FileSystem fileSystem) throws IOException {
        return properties.policySettings(jamesHome(fileSystem));
    }

    /**
     * The MTA-STS policy engine with its cache, loaded from and kept in its file store across restarts. With
     * {@code state.store=cassandra} the policies it fetches are shared, and every {@code state.refreshInterval} it takes
     * those other nodes fetched later than its own ({@link SharedPolicies}).
     */
    @Provides
    @Singleton
    PolicyEngine policyEngine(Clients clients, PolicySettings settings, MtaStsMetrics metrics, ClusterState state,
                              StateSettings stateSettings) {
        boolean shared = stateSettings.store() == StateSettings.Store.CASSANDRA;
        PolicyStore local = new FilePolicyStore(settings.storeDirectory());
        PolicyEngine engine = closedAtShutdown(PolicyEngine.start(clients.dns(), clients.policyFetcher(settings, metrics.fetchTimer()),
            shared ? SharedPolicies.offering(local, state) : local, settings), "MTA-STS policy engine");
        if (shared) {
            closedAtShutdown(SharedPolicies.start(state, engine, stateSettings.refreshInterval()), "shared policies");
        }
        LOG.info("MTA-STS policy engine started: {}{}", settings, shared ? ", policies shared through " + state : "");
        return engine;
    }

    @Provides
    @Singleton
    PolicyResolver policyResolver(PolicyEngine engine) {
        return engine;
    }

    /**
     * TLS-RPT (RFC 8460), unless {@code tlsrpt.enabled=false}: counts of every session, sent as reports by
     * mail through the mailet container or by HTTPS; counts and claims in the {@link ClusterState}, as node {@code state.node}.
     * Its counts are written to the state at shutdown too.
     */
    @Provides
    @Singleton
    Optional<TlsReporting> tlsReporting(ExtensionProperties properties, DomainList domains, Clients clients,
                                        MailetContext mailetContext, ClusterState state, StateSettings stateSettings,
                                        MtaStsMetrics metrics)
        throws DomainListException {
        Optional<TlsRptSettings> settings = properties.tlsRptSettings(domains.getDefaultDomain().asString());
        if (settings.isEmpty()) {
            LOG.info("TLS-RPT is off (tlsrpt.enabled=false in conf/mta-sts.properties)");
            return Optional.empty();
        }
        TlsReporting reporting = TlsReporting.start(settings.get(), state, stateSettings.node(), new TlsRptResolver(clients.dns()),
            metrics.counting(new MailetContextReportMailer(mailetContext)),
            metrics.counting(new HttpsReportUploader(clients.https(), settings.get().httpsTimeout())));
        LOG.info("TLS-RPT started: {}", settings.get());
        return Optional.of(closedAtShutdown(reporting, "TLS-RPT"));
    }

    /** Where delivery records every session result: TLS-RPT's counts, or nowhere when TLS-RPT is off. */
    @Provides
    @Singleton
    ResultSink resultSink(Optional<TlsReporting> reporting) {
        return reporting.map(TlsReporting::sink).orElse(ResultSink.discarding());
    }

    /** What James does for its own domains: {@code serve.*}, {@code received.*} and {@code watch.*}. */
    @Provides
    @Singleton
    OwnDomainSettings ownDomainSettings(ExtensionProperties properties, FileSystem fileSystem) throws IOException {
        return properties.ownDomainSettings(jamesHome(fileSystem));
    }

    /**
     * The policy of each James domain, the domains looked up at each request (WebAdmin may add one at any time),
     * with the history of what was served in {@code var/mta-sts/served-policies.json} (RFC 8461 §8.3).
     */
    @Provides
    @Singleton
    ServedPolicies servedPolicies(Provider<DomainList> domains, DnsClient dns, OwnDomainSettings settings, FileSystem fileSystem)
        throws IOException {
        return new ServedPolicies(domains, dns, settings,
            PolicyHistory.open(jamesHome(fileSystem).resolve("var/mta-sts/served-policies.json"), Clock.systemUTC()));
    }

    /**
     * The TLS-RPT reports other senders send about James's domains (RFC 8460 §5), by mail and by HTTPS, checked
     * and kept in {@code received.directory}; empty when {@code received.enabled=false}.
     */
    /** The received reports, kept in {@code received.directory}. */
    @Provides
    @Singleton
    FileReceivedReportStore receivedReports(OwnDomainSettings settings) throws IOException {
        return new FileReceivedReportStore(settings.receivedDirectory(), settings.maxReports(), FileReceivedReportStore.DEFAULT_MAX_BYTES);
    }

    @Provides
    @Singleton
    Optional<ReportIntake> reportIntake(OwnDomainSettings settings, ServedPolicies policies, FileReceivedReportStore store,
                                        FileReceivedReportStore reports, MtaStsMetrics metrics) {
        if (!settings.receive()) {
            return Optional.empty();
        }
        ReportReader reader = new ReportReader(ReportReader.Limits.of(settings.maxReportBytes(), settings.maxReportJsonBytes()));
        return Optional.of(new ReportIntake(reader, policies::hosted, store, metrics.receivedReports()));
    }

    /**
     * The watch of James's domains: core's {@code DomainCheck} (the code of {@code mta-sts check}) through the
     * extension's own clients, its last findings in {@code var/mta-sts/watch}, its alerts mailed through James.
     */
    @Provides
    @Singleton
    OwnDomainWatch ownDomainWatch(OwnDomainSettings settings, ServedPolicies policies, Clients clients, DnssecClient dnssec,
                                  PolicySettings policySettings, DomainList domains, MailetContext mailetContext, FileSystem fileSystem,
                                  FileReceivedReportStore reports, MtaStsMetrics metrics)
        throws IOException, DomainListException {
        NettySmtpSender smtp = closedAtShutdown(clients.smtpSender(SmtpSettings.builder(domains.getDefaultDomain().asString())),
            "watch SMTP client");
        CheckClients checkClients = CheckClients.of(clients.dns(), dnssec, clients.policyFetcher(policySettings, FetchTimer.none()), smtp);
        FileWatchStore store = new FileWatchStore(jamesHome(fileSystem).resolve("var/mta-sts/watch"));
        WatchRun run = new WatchRun(new DomainCheck(checkClients, Clock.systemUTC()), store, Watch.withResolvedNotes(), Clock.systemUTC());
        Consumer<Alert> alerts = metrics.counting(new AlertMail(mailetContext, settings.alertsTo()));
        ReportFindings reported = new ReportFindings(reports, ReadinessAdvice.defaults(), Clock.systemUTC());
        return closedAtShutdown(new OwnDomainWatch(run, store, policies, settings, reported, alerts),
            "own domains watch");
    }

    @Provides
    @Singleton
    OwnDomains ownDomains(OwnDomainSettings settings, ServedPolicies policies, Optional<ReportIntake> intake, OwnDomainWatch watch) {
        return closedAtShutdown(new OwnDomains(settings, policies, intake, watch), "own domains");
    }

    private static Path jamesHome(FileSystem fileSystem) throws IOException {
        return fileSystem.getBasedir().toPath();
    }

    /** James stops on a JVM shutdown; the service then writes what it holds and lets go of its threads. */
    private static <T extends AutoCloseable> T closedAtShutdown(T service, String name) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                service.close();
            } catch (Exception e) {
                LOG.warn("Closing the {} failed", name, e);
            }
        }, "mta-sts-shutdown-" + name));
        return service;
    }
}

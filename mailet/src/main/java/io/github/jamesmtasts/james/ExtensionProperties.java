package io.github.jamesmtasts.james;

import io.github.jamesmtasts.files.Sha256;
import io.github.jamesmtasts.https.HttpsSettings;
import io.github.jamesmtasts.james.owndomains.OwnDomainSettings;
import io.github.jamesmtasts.mtasts.Mode;
import io.github.jamesmtasts.mtasts.MxPattern;
import io.github.jamesmtasts.policy.PolicySettings;
import io.github.jamesmtasts.tlsrpt.sending.TlsRptSettings;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.MapConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.utils.PropertiesProvider;

import io.github.jamesmtasts.state.NodeName;

import java.io.FileNotFoundException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The extension-wide settings in {@code conf/mta-sts.properties}, shared by every mailet, hook and route:
 * trust, the policy engine and TLS-RPT. A missing file or key means the default the README lists.
 * Relative directories are under the James home. Immutable; every value is checked when read, so a bad
 * file stops James at start with a message naming the key.
 */
public final class ExtensionProperties {
    /** The file's name under {@code conf/}, without {@code .properties}. */
    public static final String FILE = "mta-sts";
    /** A PEM file of CA certificates trusted for policy hosts and MX hosts besides the JDK's. */
    public static final String CA_FILE = "caFile";
    /**
     * DNS servers, besides those on loopback, whose AD bit is believed for DANE (RFC 7672 §2.1): a comma-separated
     * list of IP addresses, for a validating resolver reached over a path the admin vouches for. Default none.
     */
    public static final String DANE_TRUSTED_RESOLVERS = "dane.trustedResolvers";
    /** Whether policy hosts may have loopback or private addresses (staging and tests only). Default false. */
    public static final String ALLOW_PRIVATE_ADDRESSES = "allowPrivateAddresses";
    /** Where fetched policies are kept across restarts. Default {@code var/mta-sts/policies}. */
    public static final String POLICY_DIRECTORY = "policy.directory";
    /** How long connecting to a policy host or a TLS-RPT report endpoint may take. Default 10 seconds. */
    public static final String HTTPS_CONNECT_TIMEOUT = "https.connectTimeout";
    /** How long a whole policy fetch may take (RFC 8461 §3.3). Default 1 minute. */
    public static final String POLICY_FETCH_TIMEOUT = "policy.fetchTimeout";
    /** Whether TLS-RPT reports are counted and sent. Default true. */
    public static final String TLSRPT_ENABLED = "tlsrpt.enabled";
    /** The reporting domain (RFC 8460 §5.3 {@code TLS-Report-Submitter}). Default James's default domain. */
    public static final String TLSRPT_SUBMITTER = "tlsrpt.submitter";
    /** RFC 8460 §4.4 {@code contact-info}, also the reports' sender. Default {@code tlsrpt-noreply@<submitter>}. */
    public static final String TLSRPT_CONTACT = "tlsrpt.contactInfo";
    /** RFC 8460 §4.4 {@code organization-name}. Default the submitter. */
    public static final String TLSRPT_ORGANIZATION = "tlsrpt.organizationName";
    /** The report period (RFC 8460 §4.1: a UTC day). Shorter periods are for tests. Default 1 day. */
    public static final String TLSRPT_PERIOD = "tlsrpt.period";
    /** Whether only periods with failures are reported. Default false: every session is counted and reported. */
    public static final String TLSRPT_ONLY_FAILURES = "tlsrpt.onlyFailures";
    /** The longest random wait after a period ends before reports go out. Default 4 hours, or a quarter of the period. */
    public static final String TLSRPT_MAX_SEND_DELAY = "tlsrpt.maxSendDelay";
    /** With {@code state.store=file}: where TLS-RPT counts and report claims are kept. Default {@code var/mta-sts/tlsrpt}. */
    public static final String TLSRPT_DIRECTORY = "tlsrpt.directory";

    /** Where the state shared by the nodes of a cluster is kept: {@code file} (default, one node) or {@code cassandra}. */
    public static final String STATE_STORE = "state.store";
    /** This node's name, different on every node, the same across its restarts. Default: see {@link #defaultNode}. */
    public static final String STATE_NODE = "state.node";
    /** How often each node reads the admin's switches back from the store. Default 5 seconds. */
    public static final String STATE_REFRESH_INTERVAL = "state.refreshInterval";
    /** Cassandra's contact points, {@code host:port} (port 9042 when left out), comma-separated. */
    public static final String STATE_CASSANDRA_CONTACT_POINTS = "state.cassandra.contactPoints";
    /** Cassandra's local datacenter. Default {@code datacenter1}. */
    public static final String STATE_CASSANDRA_DATACENTER = "state.cassandra.datacenter";
    /** The extension's own keyspace, created with its tables if missing. Default {@code mta_sts}. */
    public static final String STATE_CASSANDRA_KEYSPACE = "state.cassandra.keyspace";
    /** The replication factor the keyspace is created with, when the extension creates it. Default 1. */
    public static final String STATE_CASSANDRA_REPLICATION_FACTOR = "state.cassandra.replicationFactor";
    /** Whether every node sees the delivery mailet's {@code repository} (claims and sweeps). Default false. */
    public static final String STATE_SHARED_REPOSITORY = "state.sharedRepository";
    /** With a shared repository: how often each node looks in it for the other nodes' mail. Default 1 minute. */
    public static final String STATE_REPOSITORY_SWEEP = "state.repositorySweep";
    static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(5);
    static final Duration DEFAULT_REPOSITORY_SWEEP = Duration.ofMinutes(1);
    private static final int CASSANDRA_PORT = 9042;

    /** Whether James serves its own domains' MTA-STS policies over HTTPS (RFC 8461 §3.3). Default false. */
    public static final String SERVE_ENABLED = "serve.enabled";
    /** The address the policy listener binds. Default every address ({@code 0.0.0.0}). */
    public static final String SERVE_BIND = "serve.bind";
    /** The policy listener's port: 443 in production, as senders fetch {@code https://mta-sts.<domain>/}. */
    public static final String SERVE_PORT = "serve.port";
    /** A directory of certificates in certbot's layout ({@code <name>/fullchain.pem}, {@code <name>/privkey.pem}). */
    public static final String SERVE_CERTIFICATES = "serve.certificates";
    /** The mode of the served policies. Default {@code testing}. */
    public static final String SERVE_MODE = "serve.mode";
    /** The {@code mx} patterns of the served policies, comma-separated. Default each domain's MX records. */
    public static final String SERVE_MX = "serve.mx";
    /** The {@code max_age} of the served policies. Default 7 days. */
    public static final String SERVE_MAX_AGE = "serve.maxAge";
    /** A domain's own {@code mode}, {@code mx} or {@code maxAge}: {@code serve.domain.<domain>.mode} and so on. */
    public static final String SERVE_DOMAIN = "serve.domain";
    /** Whether TLS-RPT reports about James's own domains are read and kept. Default true. */
    public static final String RECEIVED_ENABLED = "received.enabled";
    /** Where received reports are kept. Default {@code var/mta-sts/received}. */
    public static final String RECEIVED_DIRECTORY = "received.directory";
    /** The local part of the {@code rua} mail address at each James domain. Default {@code tlsrpt}. */
    public static final String RECEIVED_LOCAL_PART = "received.localPart";
    /** The largest report body taken, in bytes, as sent (gzip or JSON). Default 1 MiB. */
    public static final String RECEIVED_MAX_BYTES = "received.maxBytes";
    /** The largest report JSON taken once decompressed, in bytes. Default 10 MiB. */
    public static final String RECEIVED_MAX_JSON_BYTES = "received.maxJsonBytes";
    /** How many reports are kept at most; a report beyond is refused. Default 100000. */
    public static final String RECEIVED_MAX_REPORTS = "received.maxReports";
    /** Whether James's own domains are checked and their problems mailed. Default true. */
    public static final String WATCH_ENABLED = "watch.enabled";
    /** How often the own domains are checked. Default 1 day. */
    public static final String WATCH_INTERVAL = "watch.interval";
    /** Who gets the alerts. Default James's postmaster. */
    public static final String WATCH_ALERTS_TO = "watch.alertsTo";

    private final Configuration configuration;

    private ExtensionProperties(Configuration configuration) {
        this.configuration = configuration;
    }

    /** Every default: the JDK's trust store only, public addresses only, TLS-RPT daily. */
    public static ExtensionProperties defaults() {
        return new ExtensionProperties(new MapConfiguration(Map.of()));
    }

    /** Reads {@code conf/mta-sts.properties}. */
    public static ExtensionProperties read(PropertiesProvider provider) throws ConfigurationException {
        try {
            return from(provider.getConfiguration(FILE));
        } catch (FileNotFoundException e) {
            return defaults();
        }
    }

    static ExtensionProperties from(Configuration configuration) {
        ExtensionProperties properties = new ExtensionProperties(configuration);
        properties.policySettings(Path.of("."));
        properties.httpsSettings();
        properties.daneTrustedResolvers();
        properties.ownDomainSettings(Path.of("."));
        properties.stateSettings(Path.of("."));
        return properties;
    }

    public Optional<Path> caFile() {
        return string(CA_FILE).map(Path::of);
    }

    /** The DNS servers listed in {@link #DANE_TRUSTED_RESOLVERS}. */
    public Set<InetAddress> daneTrustedResolvers() {
        Set<InetAddress> servers = new LinkedHashSet<>();
        for (String literal : list(DANE_TRUSTED_RESOLVERS).orElse(List.of())) {
            if (!literal.matches("[0-9a-fA-F.:]+")) {
                throw new IllegalArgumentException("conf/" + FILE + ".properties: " + DANE_TRUSTED_RESOLVERS
                    + " lists IP addresses, not '" + literal + "'");
            }
            try {
                servers.add(InetAddress.getByName(literal));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("conf/" + FILE + ".properties: " + DANE_TRUSTED_RESOLVERS
                    + " lists IP addresses, not '" + literal + "'", e);
            }
        }
        return servers;
    }

    public boolean allowPrivateAddresses() {
        return configuration.getBoolean(ALLOW_PRIVATE_ADDRESSES, false);
    }

    /** The policy engine's settings; relative directories resolve against {@code home}. */
    public PolicySettings policySettings(Path home) {
        PolicySettings.Builder settings = PolicySettings.builder()
            .storeDirectory(home.resolve(string(POLICY_DIRECTORY).orElse("var/mta-sts/policies")));
        duration(POLICY_FETCH_TIMEOUT).ifPresent(settings::fetchTimeout);
        return settings.build();
    }

    /** How the HTTPS client of policy fetches and report uploads connects. */
    public HttpsSettings httpsSettings() {
        HttpsSettings.Builder settings = HttpsSettings.builder().allowPrivateAddresses(allowPrivateAddresses());
        duration(HTTPS_CONNECT_TIMEOUT).ifPresent(settings::connectTimeout);
        return settings.build();
    }

    /**
     * TLS-RPT's settings, or empty when {@link #TLSRPT_ENABLED} is false.
     *
     * @param defaultDomain James's default domain, the submitter unless {@link #TLSRPT_SUBMITTER} names one
     */
    public Optional<TlsRptSettings> tlsRptSettings(String defaultDomain) {
        if (!configuration.getBoolean(TLSRPT_ENABLED, true)) {
            return Optional.empty();
        }
        try {
            TlsRptSettings.Builder settings = TlsRptSettings.builder(string(TLSRPT_SUBMITTER).orElse(defaultDomain))
                .onlyFailures(configuration.getBoolean(TLSRPT_ONLY_FAILURES, false));
            string(TLSRPT_CONTACT).ifPresent(settings::contactInfo);
            string(TLSRPT_ORGANIZATION).ifPresent(settings::organizationName);
            duration(TLSRPT_PERIOD).ifPresent(settings::period);
            duration(TLSRPT_MAX_SEND_DELAY).ifPresent(settings::maxSendDelay);
            return Optional.of(settings.build());
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("conf/") ? e
                : new IllegalArgumentException("conf/" + FILE + ".properties: " + e.getMessage(), e);
        }
    }

    /** Where the shared state is kept and who this node is; relative directories resolve against {@code home}. */
    public StateSettings stateSettings(Path home) {
        try {
            String store = string(STATE_STORE).orElse("file");
            if (!store.equals("file") && !store.equals("cassandra")) {
                throw new IllegalArgumentException(STATE_STORE + " is file or cassandra, not '" + store + "'");
            }
            String replication = string(STATE_CASSANDRA_REPLICATION_FACTOR).orElse("1");
            int replicationFactor = integer(STATE_CASSANDRA_REPLICATION_FACTOR, replication);
            if (replicationFactor < 1) {
                throw new IllegalArgumentException(STATE_CASSANDRA_REPLICATION_FACTOR + " is at least 1, not " + replication);
            }
            return new StateSettings(store.equals("file") ? StateSettings.Store.FILE : StateSettings.Store.CASSANDRA,
                string(STATE_NODE).map(NodeName::of).orElseGet(() -> defaultNode(home)),
                io.github.jamesmtasts.settings.Durations.positive(duration(STATE_REFRESH_INTERVAL).orElse(DEFAULT_REFRESH_INTERVAL),
                    STATE_REFRESH_INTERVAL),
                home.resolve("var/mta-sts"), home.resolve(string(TLSRPT_DIRECTORY).orElse("var/mta-sts/tlsrpt")),
                list(STATE_CASSANDRA_CONTACT_POINTS).orElse(List.of()).stream().map(ExtensionProperties::contactPoint)
                    .collect(Collectors.toList()),
                string(STATE_CASSANDRA_DATACENTER).orElse("datacenter1"), string(STATE_CASSANDRA_KEYSPACE).orElse("mta_sts"),
                replicationFactor,
                configuration.getBoolean(STATE_SHARED_REPOSITORY, false)
                    ? Optional.of(io.github.jamesmtasts.settings.Durations.positive(
                        duration(STATE_REPOSITORY_SWEEP).orElse(DEFAULT_REPOSITORY_SWEEP), STATE_REPOSITORY_SWEEP))
                    : Optional.empty());
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("conf/") ? e
                : new IllegalArgumentException("conf/" + FILE + ".properties: " + e.getMessage(), e);
        }
    }

    /**
     * The node name when {@link #STATE_NODE} is not set: the machine's host name (up to 40 characters, others than
     * letters, digits, '.', '-' and '_' made '-'), a dash and 8 hex digits of the SHA-256 of the James home's absolute
     * path. Stable across restarts of one James home, different for two homes on one machine.
     */
    static NodeName defaultNode(Path home) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "james";
        }
        String safe = host.replaceAll("[^A-Za-z0-9._-]", "-");
        String digest = Sha256.hex(home.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
        return NodeName.of(safe.substring(0, Math.min(safe.length(), 40)) + "-" + digest.substring(0, 8));
    }

    private static InetSocketAddress contactPoint(String value) {
        int colon = value.lastIndexOf(':');
        boolean hasPort = colon > 0 && value.indexOf(':') == colon || value.startsWith("[") && value.contains("]:");
        String host = (hasPort ? value.substring(0, colon) : value).replaceAll("^\\[|\\]$", "");
        int port = hasPort ? integer(STATE_CASSANDRA_CONTACT_POINTS, value.substring(colon + 1)) : CASSANDRA_PORT;
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException(STATE_CASSANDRA_CONTACT_POINTS + " lists host:port, not '" + value + "'");
        }
        // Resolved by the driver when it connects, not while the configuration is read.
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** What James serves and reads for its own domains. */
    public OwnDomainSettings ownDomainSettings(Path home) {
        try {
            OwnDomainSettings.Builder settings = OwnDomainSettings.builder(home)
                .serve(configuration.getBoolean(SERVE_ENABLED, false));
            string(SERVE_BIND).ifPresent(settings::bind);
            string(SERVE_PORT).map(value -> integer(SERVE_PORT, value)).ifPresent(settings::port);
            string(SERVE_CERTIFICATES).ifPresent(settings::certificates);
            settings.policyDefaults(servedPolicy(SERVE_MODE, SERVE_MX, SERVE_MAX_AGE));
            configuration.getKeys(SERVE_DOMAIN).forEachRemaining(key -> {
                String domain = key.substring(SERVE_DOMAIN.length() + 1, key.lastIndexOf('.'));
                String prefix = SERVE_DOMAIN + "." + domain + ".";
                settings.policyOf(domain, servedPolicy(prefix + "mode", prefix + "mx", prefix + "maxAge"));
            });
            settings.receive(configuration.getBoolean(RECEIVED_ENABLED, true));
            string(RECEIVED_DIRECTORY).ifPresent(settings::receivedDirectory);
            string(RECEIVED_LOCAL_PART).ifPresent(settings::reportLocalPart);
            string(RECEIVED_MAX_BYTES).map(value -> integer(RECEIVED_MAX_BYTES, value)).ifPresent(settings::maxReportBytes);
            string(RECEIVED_MAX_JSON_BYTES).map(value -> integer(RECEIVED_MAX_JSON_BYTES, value)).ifPresent(settings::maxReportJsonBytes);
            string(RECEIVED_MAX_REPORTS).map(value -> integer(RECEIVED_MAX_REPORTS, value)).ifPresent(settings::maxReports);
            settings.watch(configuration.getBoolean(WATCH_ENABLED, true));
            duration(WATCH_INTERVAL).ifPresent(settings::watchInterval);
            string(WATCH_ALERTS_TO).ifPresent(settings::alertsTo);
            return settings.build();
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("conf/") ? e
                : new IllegalArgumentException("conf/" + FILE + ".properties: " + e.getMessage(), e);
        }
    }

    private OwnDomainSettings.PolicyChoice servedPolicy(String modeKey, String mxKey, String maxAgeKey) {
        return new OwnDomainSettings.PolicyChoice(
            string(modeKey).map(value -> Mode.fromKeyword(value).orElseThrow(() ->
                new IllegalArgumentException(modeKey + " is enforce, testing or none, not '" + value + "'"))),
            list(mxKey).map(patterns -> patterns.stream()
                .map(pattern -> MxPattern.parse(pattern).value().orElseThrow(() ->
                    new IllegalArgumentException(mxKey + " lists mx patterns (RFC 8461 §3.2), not '" + pattern + "'")))
                .collect(Collectors.toList())),
            duration(maxAgeKey));
    }

    private static int integer(String key, String value) {
        try {
            int number = Integer.parseInt(value);
            if (number < 0) {
                throw new IllegalArgumentException(key + " cannot be negative: " + value);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: " + value, e);
        }
    }

    /**
     * A comma- or space-separated list, empty when the key is absent or blank. James reads properties files with
     * {@code ,} as list delimiter, so the value may arrive split already.
     */
    private Optional<List<String>> list(String key) {
        List<String> items = configuration.getList(String.class, key, List.of()).stream()
            .flatMap(value -> Arrays.stream(value.split("[,\\s]+"))).filter(item -> !item.isEmpty())
            .collect(Collectors.toList());
        return items.isEmpty() ? Optional.empty() : Optional.of(items);
    }

    private Optional<String> string(String key) {
        return Optional.ofNullable(configuration.getString(key, null)).map(String::trim).filter(value -> !value.isEmpty());
    }

    /** A duration (see {@link Durations}); a bad one names the file and the key. */
    private Optional<Duration> duration(String key) {
        return string(key).map(value -> {
            try {
                return Durations.parse(key, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("conf/" + FILE + ".properties: " + e.getMessage(), e);
            }
        });
    }
}

package io.github.jamesmtasts.james;

import io.github.jamesmtasts.https.HttpsSettings;
import io.github.jamesmtasts.james.owndomains.OwnDomainSettings;
import io.github.jamesmtasts.mtasts.Mode;
import io.github.jamesmtasts.mtasts.MxPattern;
import io.github.jamesmtasts.policy.PolicySettings;
import io.github.jamesmtasts.tlsrpt.sending.TlsRptSettings;
import org.apache.commons.configuration2.MapConfiguration;
import org.apache.commons.configuration2.convert.DefaultListDelimiterHandler;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class ExtensionPropertiesTest {
    private static final Path HOME = Path.of("/srv/james");

    @Test
    void defaultsAreTheReadmeOnes() {
        ExtensionProperties properties = ExtensionProperties.defaults();
        PolicySettings policy = properties.policySettings(HOME);
        HttpsSettings https = properties.httpsSettings();
        TlsRptSettings tlsrpt = properties.tlsRptSettings("example.com").orElseThrow();

        assertThat(properties.caFile()).isEmpty();
        assertThat(https.allowPrivateAddresses()).isFalse();
        assertThat(policy.storeDirectory()).isEqualTo(HOME.resolve("var/mta-sts/policies"));
        assertThat(policy.fetchTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(https.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(tlsrpt.submitter()).isEqualTo("example.com");
        assertThat(tlsrpt.contactInfo()).isEqualTo("tlsrpt-noreply@example.com");
        assertThat(tlsrpt.period()).isEqualTo(Duration.ofDays(1));
        assertThat(tlsrpt.onlyFailures()).isFalse();
        StateSettings state = properties.stateSettings(HOME);
        assertThat(state.store()).isEqualTo(StateSettings.Store.FILE);
        assertThat(state.enforcementDirectory()).isEqualTo(HOME.resolve("var/mta-sts"));
        assertThat(state.tlsRptDirectory()).isEqualTo(HOME.resolve("var/mta-sts/tlsrpt"));
        assertThat(state.refreshInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(state.node()).isEqualTo(ExtensionProperties.defaultNode(HOME));
        assertThat(state.repositorySweep()).as("each node's repository its own").isEmpty();
    }

    @Test
    void theCassandraStoreIsReadWithItsContactPointsAsJamesSplitsTheList() {
        // James's properties reader splits values at ',': the list arrives as several values.
        StateSettings state = ExtensionProperties.from(new MapConfiguration(Map.of(
            "state.store", "cassandra", "state.node", "james-b", "state.refreshInterval", "2 s",
            "state.cassandra.contactPoints", List.of("127.0.0.7:19042", " [::1]:9043", "cassandra.example"),
            "state.cassandra.keyspace", "mail_state", "state.cassandra.replicationFactor", "3",
            "state.sharedRepository", "true"))).stateSettings(HOME);

        assertThat(state.store()).isEqualTo(StateSettings.Store.CASSANDRA);
        assertThat(state.node().value()).isEqualTo("james-b");
        assertThat(state.refreshInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(state.contactPoints()).extracting(InetSocketAddress::getHostString, InetSocketAddress::getPort)
            .containsExactly(tuple("127.0.0.7", 19042), tuple("::1", 9043), tuple("cassandra.example", 9042));
        assertThat(state.datacenter()).isEqualTo("datacenter1");
        assertThat(state.keyspace()).isEqualTo("mail_state");
        assertThat(state.replicationFactor()).isEqualTo(3);
        assertThat(state.repositorySweep()).as("shared, swept every minute by default").contains(Duration.ofMinutes(1));
    }

    @Test
    void aCassandraStoreNeedsContactPointsAndANodeNameIsChecked() {
        assertThatThrownBy(() -> ExtensionProperties.from(new MapConfiguration(Map.of("state.store", "cassandra"))))
            .hasMessageContaining("state.cassandra.contactPoints");
        assertThatThrownBy(() -> ExtensionProperties.from(new MapConfiguration(Map.of("state.node", "node a"))))
            .hasMessageContaining("mta-sts.properties").hasMessageContaining("node name");
        assertThatThrownBy(() -> ExtensionProperties.from(new MapConfiguration(Map.of("state.store", "postgres"))))
            .hasMessageContaining("state.store");
        assertThat(ExtensionProperties.defaultNode(Path.of("/srv/james-a")))
            .as("two homes on one machine").isNotEqualTo(ExtensionProperties.defaultNode(Path.of("/srv/james-b")));
    }

    @Test
    void readsEveryKeyInJamesAndIsoDurations() {
        ExtensionProperties properties = ExtensionProperties.from(new MapConfiguration(Map.ofEntries(
            Map.entry("caFile", "/etc/ca.pem"), Map.entry("allowPrivateAddresses", "true"),
            Map.entry("policy.directory", "/var/lib/policies"), Map.entry("https.connectTimeout", "5 s"),
            Map.entry("policy.fetchTimeout", "PT30S"), Map.entry("tlsrpt.submitter", "Mail.Example.ORG"),
            Map.entry("tlsrpt.contactInfo", "tls@mail.example.org"), Map.entry("tlsrpt.organizationName", "Example Org"),
            Map.entry("tlsrpt.period", "2 minutes"), Map.entry("tlsrpt.onlyFailures", "true"),
            Map.entry("tlsrpt.maxSendDelay", "1d"))));
        PolicySettings policy = properties.policySettings(HOME);
        HttpsSettings https = properties.httpsSettings();
        TlsRptSettings tlsrpt = properties.tlsRptSettings("ignored.example").orElseThrow();

        assertThat(properties.caFile()).contains(Path.of("/etc/ca.pem"));
        assertThat(https.allowPrivateAddresses()).isTrue();
        assertThat(policy.storeDirectory()).isEqualTo(Path.of("/var/lib/policies"));
        assertThat(https.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.fetchTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(tlsrpt.submitter()).isEqualTo("mail.example.org");
        assertThat(tlsrpt.organizationName()).isEqualTo("Example Org");
        assertThat(tlsrpt.period()).isEqualTo(Duration.ofMinutes(2));
        assertThat(tlsrpt.onlyFailures()).isTrue();
        assertThat(tlsrpt.maxSendDelay()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void tlsRptCanBeTurnedOff() {
        assertThat(ExtensionProperties.from(new MapConfiguration(Map.of("tlsrpt.enabled", "false")))
            .tlsRptSettings("example.com")).isEmpty();
    }

    @Test
    void aBadValueNamesItsKey() {
        assertThatThrownBy(() -> ExtensionProperties.from(new MapConfiguration(Map.of("policy.fetchTimeout", "soon"))))
            .hasMessageContaining("policy.fetchTimeout");
        ExtensionProperties foreignContact = ExtensionProperties.from(new MapConfiguration(Map.of(
            "tlsrpt.submitter", "example.com", "tlsrpt.contactInfo", "someone@elsewhere.example")));
        assertThatThrownBy(() -> foreignContact.tlsRptSettings("x.example")).hasMessageContaining("mta-sts.properties");
        ExtensionProperties millisecondPeriod = ExtensionProperties.from(new MapConfiguration(Map.of("tlsrpt.period", "90")));
        assertThatThrownBy(() -> millisecondPeriod.tlsRptSettings("x.example"))
            .hasMessageContaining("mta-sts.properties").hasMessageContaining("whole seconds");
    }

    @Test
    void ownDomainsAreOffToServeAndOnToReadAndWatchByDefault() {
        OwnDomainSettings settings = ExtensionProperties.defaults().ownDomainSettings(HOME);
        assertThat(settings.serve()).isFalse();
        assertThat(settings.port()).isEqualTo(443);
        assertThat(settings.certificates()).isEqualTo(HOME.resolve("conf/mta-sts-certificates"));
        assertThat(settings.mode("example.com")).isEqualTo(Mode.TESTING);
        assertThat(settings.mx("example.com")).isEmpty();
        assertThat(settings.maxAge("example.com")).isEqualTo(Duration.ofDays(7));
        assertThat(settings.receive()).isTrue();
        assertThat(settings.receivedDirectory()).isEqualTo(HOME.resolve("var/mta-sts/received"));
        assertThat(settings.reportLocalPart()).isEqualTo("tlsrpt");
        assertThat(settings.watch()).isTrue();
        assertThat(settings.watchInterval()).isEqualTo(Duration.ofDays(1));
        assertThat(settings.alertsTo()).isEmpty();
    }

    @Test
    void aDomainsOwnPolicyWinsOverTheDefaultsFieldByField() {
        OwnDomainSettings settings = ExtensionProperties.from(new MapConfiguration(Map.ofEntries(
            Map.entry("serve.enabled", "true"), Map.entry("serve.port", "8443"), Map.entry("serve.mode", "enforce"),
            Map.entry("serve.mx", "mx1.example.com, *.mail.example.com"), Map.entry("serve.maxAge", "14d"),
            Map.entry("serve.domain.Example.ORG.mode", "none"), Map.entry("serve.domain.example.net.maxAge", "1d"),
            Map.entry("watch.alertsTo", "admin@example.com")))).ownDomainSettings(HOME);
        assertThat(settings.serve()).isTrue();
        assertThat(settings.port()).isEqualTo(8443);
        assertThat(settings.mode("example.com")).isEqualTo(Mode.ENFORCE);
        assertThat(settings.mode("example.org")).isEqualTo(Mode.NONE);
        assertThat(settings.mx("example.org").orElseThrow()).containsExactly(MxPattern.of("mx1.example.com"), MxPattern.of("*.mail.example.com"));
        assertThat(settings.maxAge("example.net")).isEqualTo(Duration.ofDays(1));
        assertThat(settings.maxAge("example.org")).isEqualTo(Duration.ofDays(14));
        assertThat(settings.alertsTo()).contains("admin@example.com");
    }

    @Test
    void aBadOwnDomainValueNamesItsKey() {
        assertThatThrownBy(() -> ExtensionProperties.from(new MapConfiguration(Map.of("serve.mode", "strict"))))
            .hasMessageContaining("serve.mode");
        assertThatThrownBy(() -> ExtensionProperties.from(new MapConfiguration(Map.of("serve.domain.example.com.mx", "a..b"))))
            .hasMessageContaining("serve.domain.example.com.mx");
        assertThatThrownBy(() -> ExtensionProperties.from(new MapConfiguration(Map.of("serve.port", "https"))))
            .hasMessageContaining("serve.port");
    }

    @Test
    void listsSurviveAConfigurationThatSplitsAtCommasAsJamesDoes() {
        MapConfiguration configuration = new MapConfiguration(new java.util.HashMap<>());
        configuration.setListDelimiterHandler(new DefaultListDelimiterHandler(','));
        configuration.addProperty("serve.mx", "mx1.example.com,mx2.example.com");
        configuration.addProperty("dane.trustedResolvers", "192.0.2.53, 192.0.2.54");
        ExtensionProperties properties = ExtensionProperties.from(configuration);
        assertThat(properties.ownDomainSettings(HOME).mx("example.com").orElseThrow())
            .containsExactly(MxPattern.of("mx1.example.com"), MxPattern.of("mx2.example.com"));
        assertThat(properties.daneTrustedResolvers()).hasSize(2);
    }
}

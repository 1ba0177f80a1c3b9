package io.github.jamesmtasts.james;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.github.jamesmtasts.delivery.Enforcement;
import io.github.jamesmtasts.delivery.EnforcementMode;
import io.github.jamesmtasts.delivery.MxDirectory;
import io.github.jamesmtasts.dns.DnsClient;
import io.github.jamesmtasts.result.ResultSink;
import io.github.jamesmtasts.smtp.NettySmtpSender;
import io.github.jamesmtasts.smtp.tls.TrustAnchors;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.utils.PropertiesProvider;

import java.io.IOException;
import java.time.Clock;

/**
 * The extension's Guice module, loaded by James through {@code conf/extensions.properties}
 * ({@code guice.extension.module=io.github.jamesmtasts.james.MtaStsModule}). It binds the singletons that
 * mailets, SMTP hooks and WebAdmin routes share: the DNS client, the policy engine (and its cache), the
 * enforcement switch and the TLS-RPT result sink.
 */
public class MtaStsModule extends AbstractModule {
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

    /** MX and address look-ups of delivery, through the shared DNS client. */
    @Provides
    @Singleton
    MxDirectory mxDirectory(DnsClient dns) {
        return MxDirectory.of(dns);
    }

    /** The switch the mailet sets from its {@code enforcement} parameter and WebAdmin changes at run time. */
    @Provides
    @Singleton
    Enforcement enforcement() {
        return new Enforcement(EnforcementMode.ENFORCE, Clock.systemUTC());
    }

    /** The JDK's trusted CAs, plus the {@code caFile} of {@code mta-sts.properties}: for policy hosts and MX hosts. */
    @Provides
    @Singleton
    TrustAnchors trustAnchors(ExtensionProperties properties) throws IOException {
        TrustAnchors anchors = TrustAnchors.jvmDefault();
        return properties.caFile().isPresent() ? anchors.withPemFile(properties.caFile().get()) : anchors;
    }

    /** Each {@link MtaStsRemoteDelivery} gets a Netty SMTP client of its own, from its parameters. */
    @Provides
    @Singleton
    SmtpSenderFactory smtpSenders(TrustAnchors trustAnchors) {
        return parameters -> new NettySmtpSender(parameters.smtpSettings(trustAnchors));
    }

    /** Where session results go; TLS-RPT (issue #5) replaces this binding with its aggregator. */
    @Provides
    @Singleton
    ResultSink resultSink() {
        return ResultSink.discarding();
    }
}

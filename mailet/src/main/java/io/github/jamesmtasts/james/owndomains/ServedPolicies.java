package io.github.jamesmtasts.james.owndomains;

import io.github.jamesmtasts.dns.DnsAnswer;
import io.github.jamesmtasts.dns.DnsClient;
import io.github.jamesmtasts.dns.HostNames;
import io.github.jamesmtasts.dns.MxHost;
import io.github.jamesmtasts.mtasts.MxPattern;
import io.github.jamesmtasts.publishing.PolicyHistory;
import io.github.jamesmtasts.publishing.PublishedPolicies;
import io.github.jamesmtasts.publishing.PublishedPolicy;
import org.apache.james.core.Domain;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.inject.Provider;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The MTA-STS policy of each domain of James's {@link DomainList}, as {@link OwnDomainSettings} configures it:
 * its {@code mx} patterns, unless configured, are the domain's MX records at the time of asking (RFC 8461 §3.2,
 * §4.1: every MX host a sender may pick must match), or the domain itself without any. Every policy served is
 * recorded in the {@link PolicyHistory}, which tells when a withdrawn one may be removed (§8.3).
 */
public final class ServedPolicies implements PublishedPolicies {
    private static final Logger LOG = LoggerFactory.getLogger(ServedPolicies.class);
    private static final String POLICY_HOST_LABEL = "mta-sts.";

    private final Provider<DomainList> domains;
    private final DnsClient dns;
    private final OwnDomainSettings settings;
    private final PolicyHistory history;
    private final Map<String, List<MxPattern>> lastKnownMx = new ConcurrentHashMap<>();

    public ServedPolicies(Provider<DomainList> domains, DnsClient dns, OwnDomainSettings settings, PolicyHistory history) {
        this.domains = domains;
        this.dns = dns;
        this.settings = settings;
        this.history = history;
    }

    @Override
    public Optional<PublishedPolicy> forHost(String host) {
        String name = HostNames.normalize(host.replaceFirst(":\\d+$", ""));
        return name.startsWith(POLICY_HOST_LABEL) ? forDomain(name.substring(POLICY_HOST_LABEL.length())) : Optional.empty();
    }

    /** The policy served for {@code domain}, or empty when James does not host it. */
    public Optional<PublishedPolicy> forDomain(String domain) {
        String name = HostNames.normalize(domain);
        if (!hosted(name)) {
            return Optional.empty();
        }
        PublishedPolicy policy = PublishedPolicy.of(name, settings.mode(name), settings.mx(name).orElseGet(() -> mxRecords(name)),
            settings.maxAge(name));
        history.served(policy);
        return Optional.of(policy);
    }

    /** The domains of James's domain list, in its order. */
    public List<String> domains() {
        try {
            return domains.get().getDomains().stream().map(Domain::asString).map(HostNames::normalize).collect(Collectors.toList());
        } catch (DomainListException e) {
            LOG.warn("James's domain list cannot be read", e);
            return List.of();
        }
    }

    /** Whether James hosts {@code domain} (case and a trailing dot aside). */
    public boolean hosted(String domain) {
        try {
            return domains.get().containsDomain(Domain.of(HostNames.normalize(domain)));
        } catch (DomainListException | IllegalArgumentException e) {
            LOG.debug("{} is not among James's domains: {}", domain, e.getMessage());
            return false;
        }
    }

    public PolicyHistory history() {
        return history;
    }

    /** The MX records as patterns; when DNS fails for now, the last ones seen, so that a policy never shrinks by accident. */
    private List<MxPattern> mxRecords(String domain) {
        DnsAnswer<MxHost> answer = dns.mx(domain).join();
        if (answer.status() == DnsAnswer.Status.TEMPORARY_FAILURE) {
            List<MxPattern> known = lastKnownMx.get(domain);
            LOG.warn("MTA-STS policy of {}: its MX records cannot be read ({}); serving {}", domain, answer.detail(),
                known == null ? "the domain itself" : "the last ones read");
            return known == null ? List.of(MxPattern.of(domain)) : known;
        }
        List<MxPattern> hosts = answer.records().stream().filter(host -> !host.isNullMx())
            .map(MxHost::hostname).map(MxPattern::of).collect(Collectors.toList());
        // RFC 5321 §5.1: without MX records the domain itself receives its mail.
        List<MxPattern> patterns = hosts.isEmpty() ? List.of(MxPattern.of(domain)) : hosts;
        lastKnownMx.put(domain, patterns);
        return patterns;
    }
}

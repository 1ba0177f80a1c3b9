package io.github.jamesmtasts.publishing;

import io.github.jamesmtasts.dns.HostNames;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The policies this server publishes, looked up by the host a request names. Must be thread-safe. */
@FunctionalInterface
public interface PublishedPolicies {
    /** RFC 8461 §3.3: the policy host is the policy domain with {@code mta-sts.} in front. */
    String POLICY_HOST_PREFIX = "mta-sts.";

    /**
     * The policy to serve for an HTTP {@code Host} header value: only {@code mta-sts.<domain>} of a published
     * domain has one (case-insensitive, a {@code :port} and a trailing dot ignored).
     */
    Optional<PublishedPolicy> forHost(String host);

    /**
     * The policy domain a {@code Host} header value names: {@code example.com} for {@code MTA-STS.Example.com.:443};
     * empty for any host that is not a policy host (an IP literal, a name without {@code mta-sts.}).
     */
    static Optional<String> policyDomainOf(String host) {
        if (host == null || host.startsWith("[")) {
            return Optional.empty();
        }
        int colon = host.lastIndexOf(':');
        String name = HostNames.normalize(colon < 0 ? host : host.substring(0, colon));
        if (!name.startsWith(POLICY_HOST_PREFIX) || name.length() == POLICY_HOST_PREFIX.length()) {
            return Optional.empty();
        }
        return Optional.of(name.substring(POLICY_HOST_PREFIX.length()));
    }

    /**
     * A fixed set of policies.
     *
     * @throws IllegalStateException if two policies are for one domain
     */
    static PublishedPolicies of(Collection<PublishedPolicy> policies) {
        Map<String, PublishedPolicy> byDomain = policies.stream()
            .collect(Collectors.toUnmodifiableMap(PublishedPolicy::domain, Function.identity()));
        return host -> policyDomainOf(host).map(byDomain::get);
    }
}

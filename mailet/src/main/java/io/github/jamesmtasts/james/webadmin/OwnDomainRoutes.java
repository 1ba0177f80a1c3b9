package io.github.jamesmtasts.james.webadmin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jamesmtasts.dns.DnsClient;
import io.github.jamesmtasts.james.owndomains.OwnDomains;
import io.github.jamesmtasts.james.owndomains.PublishedRecords;
import io.github.jamesmtasts.james.owndomains.ServedPolicies;
import io.github.jamesmtasts.publishing.PublishedPolicy;
import org.apache.james.webadmin.Routes;
import spark.Request;
import spark.Service;

import javax.inject.Inject;
import javax.inject.Provider;
import java.util.stream.Collectors;

/**
 * {@code /mta-sts/domains}: what James publishes for its own domains (issue 17).
 * <ul>
 *   <li>{@code GET /mta-sts/domains}: every James domain with the policy James serves for it;</li>
 *   <li>{@code GET /mta-sts/domains/{domain}}: one, with the TXT and TLS-RPT records to publish, whether DNS has
 *       them now (RFC 8461 §3.1: a stale {@code id} keeps senders on the old policy), and after a move to
 *       {@code mode: none} when the policy may be removed (RFC 8461 §8.3); 404 for a domain James does not host.</li>
 * </ul>
 */
public final class OwnDomainRoutes implements Routes {
    static final String BASE = "/mta-sts/domains";

    private final Provider<OwnDomains> ownDomains;
    private final Provider<DnsClient> dns;

    @Inject
    public OwnDomainRoutes(Provider<OwnDomains> ownDomains, Provider<DnsClient> dns) {
        this.ownDomains = ownDomains;
        this.dns = dns;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        service.get(BASE, (request, response) -> {
            ServedPolicies policies = ownDomains.get().policies();
            return Json.respond(response, policies.domains().stream()
                .map(domain -> policies.forDomain(domain).map(OwnDomainRoutes::policy)
                    .orElseGet(() -> Json.MAPPER.createObjectNode().put("domain", domain)))
                .collect(Collectors.toList()));
        });
        service.get(BASE + "/:domain", (request, response) -> {
            OwnDomains own = ownDomains.get();
            PublishedPolicy served = policy(own, request);
            ObjectNode json = policy(served);
            PublishedRecords records = PublishedRecords.check(dns.get(), served, own.settings().reportLocalPart(), own.reportUri(served.domain()));
            ObjectNode sts = json.putObject("stsRecord").put("name", records.stsName()).put("value", records.stsValue())
                .put("published", records.stsMatches());
            records.stsFound().forEach(sts.putArray("found")::add);
            json.putObject("tlsRptRecord").put("name", records.tlsRptName()).put("value", records.tlsRptValue())
                .put("published", records.tlsRptFound());
            own.policies().history().removalSafeAt(served.domain()).ifPresent(at -> json.put("removalSafeAt", at.toString()));
            return Json.respond(response, json);
        });
    }

    private static PublishedPolicy policy(OwnDomains own, Request request) {
        String domain = PolicyRoutes.domain(request);
        return own.policies().forDomain(domain).orElseThrow(() -> Json.notFound(domain + " is not a domain of this James"));
    }

    private static ObjectNode policy(PublishedPolicy policy) {
        ObjectNode json = Json.MAPPER.createObjectNode()
            .put("domain", policy.domain())
            .put("policyHost", policy.policyHost())
            .put("id", policy.id())
            .put("mode", policy.mode().keyword())
            .put("maxAge", policy.maxAge().getSeconds())
            .put("text", policy.text());
        policy.mx().forEach(pattern -> json.withArray("mx").add(pattern.toString()));
        return json;
    }
}

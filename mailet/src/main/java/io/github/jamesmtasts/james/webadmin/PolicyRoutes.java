package io.github.jamesmtasts.james.webadmin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jamesmtasts.policy.CachedPolicy;
import io.github.jamesmtasts.dns.HostNames;
import io.github.jamesmtasts.policy.PolicyEngine;
import org.apache.james.webadmin.Routes;
import spark.Request;
import spark.Service;

import javax.inject.Inject;
import javax.inject.Provider;
import java.util.stream.Collectors;

/**
 * {@code /mta-sts/policies}: the MTA-STS policies the engine holds (RFC 8461 §3.3, §5.1), and eviction,
 * so that the next delivery to a domain looks its policy up and fetches it anew.
 * <ul>
 *   <li>{@code GET /mta-sts/policies}: every unexpired cached policy;</li>
 *   <li>{@code GET /mta-sts/policies/{domain}}: one, or 404;</li>
 *   <li>{@code DELETE /mta-sts/policies/{domain}}: evicts it (204), or 404 when none was cached.</li>
 * </ul>
 */
public final class PolicyRoutes implements Routes {
    static final String BASE = "/mta-sts/policies";

    private final Provider<PolicyEngine> engines;

    /**
     * The engine is made at the first request: WebAdmin starts before James's DNS service is configured, and
     * the engine must use James's resolver.
     */
    @Inject
    public PolicyRoutes(Provider<PolicyEngine> engines) {
        this.engines = engines;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        service.get(BASE, (request, response) ->
            Json.respond(response, engines.get().cachedPolicies().stream().map(PolicyRoutes::json).collect(Collectors.toList())));
        service.get(BASE + "/:domain", (request, response) -> Json.respond(response, json(engines.get().cachedPolicy(domain(request))
            .orElseThrow(() -> Json.notFound("no MTA-STS policy cached for " + request.params("domain"))))));
        service.delete(BASE + "/:domain", (request, response) -> {
            if (!engines.get().evict(domain(request))) {
                throw Json.notFound("no MTA-STS policy cached for " + request.params("domain"));
            }
            response.status(204);
            return "";
        });
    }

    /** The domain of the path, as an A-label, or a 400. */
    static String domain(Request request) {
        String domain = request.params("domain");
        try {
            return HostNames.toAscii(domain);
        } catch (IllegalArgumentException e) {
            throw Json.badRequest("not a domain name: " + domain);
        }
    }

    private static ObjectNode json(CachedPolicy cached) {
        ObjectNode policy = Json.MAPPER.createObjectNode()
            .put("domain", cached.domain())
            .put("id", cached.id())
            .put("mode", cached.policy().mode().keyword())
            .put("maxAge", cached.policy().maxAge().getSeconds())
            .put("fetchedAt", cached.fetched().toString())
            .put("expires", cached.expires().toString());
        cached.policy().mx().forEach(pattern -> policy.withArray("mx").add(pattern.toString()));
        return policy;
    }
}

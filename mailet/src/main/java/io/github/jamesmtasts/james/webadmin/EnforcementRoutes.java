package io.github.jamesmtasts.james.webadmin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jamesmtasts.delivery.DaneMode;
import io.github.jamesmtasts.delivery.DomainOverride;
import io.github.jamesmtasts.delivery.Enforcement;
import io.github.jamesmtasts.delivery.EnforcementMode;
import io.github.jamesmtasts.state.SharedEnforcement;
import org.apache.james.util.DurationParser;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder;
import spark.Request;
import spark.Service;

import javax.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * The mail admin's MTA-STS switch, changed while James runs, stored in the {@code ClusterState} (so it outlives a
 * restart and reaches every node of a cluster within its refresh interval):
 * <ul>
 *   <li>{@code GET|PUT /mta-sts/enforcement}: the global mode, {@code {"mode": "enforce" | "report-only" | "off"}};</li>
 *   <li>{@code GET|PUT /mta-sts/dane}: the global DANE switch, {@code {"mode": "on" | "report-only" | "off"}};</li>
 *   <li>{@code GET /mta-sts/overrides}, {@code GET|PUT|DELETE /mta-sts/overrides/{domain}}: a per-domain override,
 *       {@code {"mode": "enforce" | "testing" | "off", "dane": "on" | "report-only" | "off",
 *       "expires": "2026-11-23T08:00:00Z"}} (one of {@code mode} and {@code dane} at least) or with {@code "ttl": "2h"}
 *       instead of {@code expires}; without either it lasts until deleted.</li>
 * </ul>
 * A request is checked whole before anything changes; a change that cannot be stored is not made.
 */
public final class EnforcementRoutes implements Routes {
    static final String ENFORCEMENT = "/mta-sts/enforcement";
    static final String OVERRIDES = "/mta-sts/overrides";
    static final String DANE = "/mta-sts/dane";

    private final SharedEnforcement shared;
    private final Enforcement enforcement;
    private final Clock clock;

    @Inject
    public EnforcementRoutes(SharedEnforcement shared) {
        this(shared, Clock.systemUTC());
    }

    EnforcementRoutes(SharedEnforcement shared, Clock clock) {
        this.shared = shared;
        this.enforcement = shared.enforcement();
        this.clock = clock;
    }

    @Override
    public String getBasePath() {
        return "/mta-sts";
    }

    @Override
    public void define(Service service) {
        service.get(ENFORCEMENT, (request, response) -> Json.respond(response, Map.of("mode", enforcement.global().keyword())));
        service.put(ENFORCEMENT, (request, response) -> {
            String keyword = Json.body(request).path("mode").asText();
            EnforcementMode mode = EnforcementMode.fromKeyword(keyword)
                .orElseThrow(() -> Json.badRequest("mode must be enforce, report-only or off, not '" + keyword + "'"));
            store(() -> shared.setGlobal(mode));
            return Json.respond(response, Map.of("mode", mode.keyword()));
        });
        service.get(DANE, (request, response) -> Json.respond(response, Map.of("mode", enforcement.dane().keyword())));
        service.put(DANE, (request, response) -> {
            String keyword = Json.body(request).path("mode").asText();
            DaneMode mode = DaneMode.fromKeyword(keyword)
                .orElseThrow(() -> Json.badRequest("mode must be on, report-only or off, not '" + keyword + "'"));
            store(() -> shared.setDane(mode));
            return Json.respond(response, Map.of("mode", mode.keyword()));
        });
        service.get(OVERRIDES, (request, response) -> {
            ObjectNode all = Json.MAPPER.createObjectNode();
            enforcement.overrides().forEach((domain, override) -> all.set(domain, json(override)));
            return Json.respond(response, all);
        });
        service.get(OVERRIDES + "/:domain", (request, response) -> Json.respond(response,
            json(enforcement.overrideOf(PolicyRoutes.domain(request))
                .orElseThrow(() -> Json.notFound("no override for " + request.params("domain"))))));
        service.put(OVERRIDES + "/:domain", (request, response) -> {
            String domain = PolicyRoutes.domain(request);
            DomainOverride override = override(Json.body(request));
            DomainOverride stored = storeAnswering(() -> shared.putOverride(domain, override));
            return Json.respond(response, json(stored));
        });
        service.delete(OVERRIDES + "/:domain", (request, response) -> {
            String domain = PolicyRoutes.domain(request);
            boolean removed = storeAnswering(() -> shared.removeOverride(domain));
            if (!removed) {
                throw Json.notFound("no override for " + request.params("domain"));
            }
            response.status(204);
            return "";
        });
    }

    /** A change through the shared state; when it cannot be stored, nothing changed and the answer is 500. */
    private static void store(Change change) {
        storeAnswering(() -> {
            change.make();
            return true;
        });
    }

    private static <T> T storeAnswering(Query<T> change) {
        try {
            return change.make();
        } catch (IOException e) {
            throw ErrorResponder.builder().statusCode(500).type(ErrorResponder.ErrorType.SERVER_ERROR)
                .message("the change was not saved, so it was not made: " + e.getMessage()).haltError();
        }
    }

    /** A change of the shared state. */
    private interface Change {
        void make() throws IOException;
    }

    /** A change of the shared state that answers. */
    private interface Query<T> {
        T make() throws IOException;
    }

    private DomainOverride override(JsonNode body) {
        if (!body.has("mode") && !body.has("dane")) {
            throw Json.badRequest("an override needs mode (enforce, testing, off), dane (on, report-only, off) or both");
        }
        Optional<EnforcementMode> mode = Optional.empty();
        if (body.has("mode")) {
            String keyword = body.path("mode").asText();
            mode = Optional.of(DomainOverride.modeFromKeyword(keyword)
                .orElseThrow(() -> Json.badRequest("mode must be enforce, testing or off, not '" + keyword + "'")));
        }
        Optional<DaneMode> dane = Optional.empty();
        if (body.has("dane")) {
            String keyword = body.path("dane").asText();
            dane = Optional.of(DaneMode.fromKeyword(keyword)
                .orElseThrow(() -> Json.badRequest("dane must be on, report-only or off, not '" + keyword + "'")));
        }
        if (body.has("expires") && body.has("ttl")) {
            throw Json.badRequest("give expires or ttl, not both");
        }
        Optional<Instant> expires = Optional.empty();
        try {
            if (body.has("expires")) {
                expires = Optional.of(Instant.parse(body.get("expires").asText()));
            } else if (body.has("ttl")) {
                Duration ttl = DurationParser.parse(body.get("ttl").asText());
                if (ttl.isNegative() || ttl.isZero()) {
                    throw Json.badRequest("ttl must be positive");
                }
                expires = Optional.of(clock.instant().plus(ttl));
            }
        } catch (DateTimeParseException | IllegalArgumentException | UnsupportedOperationException e) {
            throw Json.badRequest("expires must be an ISO-8601 instant and ttl a duration such as 2h: " + e.getMessage());
        }
        if (expires.isPresent() && !expires.get().isAfter(clock.instant())) {
            throw Json.badRequest("expires is in the past: " + expires.get());
        }
        return DomainOverride.of(mode, dane, expires);
    }

    private static ObjectNode json(DomainOverride override) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        override.keyword().ifPresent(keyword -> json.put("mode", keyword));
        override.dane().ifPresent(dane -> json.put("dane", dane.keyword()));
        override.expires().ifPresent(expires -> json.put("expires", expires.toString()));
        return json;
    }
}

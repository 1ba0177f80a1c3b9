package io.github.jamesmtasts.james.webadmin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jamesmtasts.check.Finding;
import io.github.jamesmtasts.james.owndomains.ReceivedEvidence;
import io.github.jamesmtasts.tlsrpt.receiving.FileReceivedReportStore;
import io.github.jamesmtasts.tlsrpt.receiving.ReceivedReport;
import io.github.jamesmtasts.tlsrpt.receiving.ReportSummary;
import io.github.jamesmtasts.watch.Alert;
import io.github.jamesmtasts.watch.ReadinessAdvice;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code /mta-sts/domains}: what James publishes for its own domains (issue 17).
 * <ul>
 *   <li>{@code GET /mta-sts/domains}: every James domain with the policy James serves for it;</li>
 *   <li>{@code GET /mta-sts/domains/{domain}}: one, with the TXT and TLS-RPT records to publish, whether DNS has
 *       them now (RFC 8461 §3.1: a stale {@code id} keeps senders on the old policy), and after a move to
 *       {@code mode: none} when the policy may be removed (RFC 8461 §8.3); 404 for a domain James does not host;</li>
 *   <li>{@code GET /mta-sts/domains/{domain}/reports?from=YYYY-MM-DD&to=YYYY-MM-DD}: the TLS-RPT reports received about
 *       it (RFC 8460 §4), summed per UTC day and reporting organisation, and listed (the last 30 days by default);</li>
 *   <li>{@code GET /mta-sts/domains/{domain}/reports/{reportId}}: one report as received;</li>
 *   <li>{@code GET /mta-sts/domains/{domain}/watch}: the watch's last findings, and for a domain in {@code testing}
 *       whether the reports make it ready for {@code enforce};</li>
 *   <li>{@code POST /mta-sts/domains/{domain}/watch?action=check}: checks it now, mails what turned bad, and answers
 *       the alerts and the findings.</li>
 * </ul>
 */
public final class OwnDomainRoutes implements Routes {
    static final String BASE = "/mta-sts/domains";
    /** How far back reports are summed when the request names no {@code from}. */
    static final int REPORT_DAYS = 30;

    private final Provider<OwnDomains> ownDomains;
    private final Provider<DnsClient> dns;
    private final Provider<FileReceivedReportStore> reports;

    /** Everything is looked up at the first request: WebAdmin starts before James's domains and DNS are configured. */
    @Inject
    public OwnDomainRoutes(Provider<OwnDomains> ownDomains, Provider<DnsClient> dns, Provider<FileReceivedReportStore> reports) {
        this.ownDomains = ownDomains;
        this.dns = dns;
        this.reports = reports;
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
        service.get(BASE + "/:domain/reports", (request, response) -> {
            PublishedPolicy served = policy(ownDomains.get(), request);
            LocalDate to = day(request, "to", LocalDate.now(ZoneOffset.UTC));
            LocalDate from = day(request, "from", to.minusDays(REPORT_DAYS));
            List<ReceivedReport> received = reports.get().reports(served.domain(), from, to);
            ObjectNode json = Json.MAPPER.valueToTree(ReportSummary.of(served.domain(), received));
            json.put("from", from.toString()).put("to", to.toString());
            ArrayNode list = json.putArray("reports");
            received.forEach(report -> list.addObject().put("reportId", report.reportId()).put("organization", report.organizationName())
                .put("start", report.start().toString()).put("end", report.end().toString())
                .put("successful", report.totalSuccessful()).put("failed", report.totalFailed()));
            return Json.respond(response, json);
        });
        service.get(BASE + "/:domain/reports/:reportId", (request, response) -> {
            policy(ownDomains.get(), request);
            byte[] raw = reports.get().raw(request.params("reportId"))
                .orElseThrow(() -> Json.notFound("no report " + request.params("reportId")));
            return Json.respond(response, Json.MAPPER.readTree(raw));
        });
        service.get(BASE + "/:domain/watch", (request, response) -> {
            OwnDomains own = ownDomains.get();
            PublishedPolicy served = policy(own, request);
            ObjectNode json = Json.MAPPER.createObjectNode().put("domain", served.domain());
            own.watch().state(served.domain()).ifPresent(state -> {
                json.put("checked", state.checked().toString());
                state.findings().forEach(finding -> json.withArray("findings").add(finding(finding)));
            });
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            ReadinessAdvice.Advice advice = ReadinessAdvice.defaults().advise(served.domain(), served.mode(),
                ReceivedEvidence.of(served.domain(), reports.get().reports(served.domain(), today.minusDays(REPORT_DAYS), today)));
            json.putObject("readiness").put("verdict", advice.verdict().name().toLowerCase(Locale.ROOT)).put("text", advice.text());
            return Json.respond(response, json);
        });
        service.post(BASE + "/:domain/watch", (request, response) -> {
            OwnDomains own = ownDomains.get();
            PublishedPolicy served = policy(own, request);
            if (!"check".equals(request.queryParams("action"))) {
                throw Json.badRequest("the only action is check: POST " + BASE + "/{domain}/watch?action=check");
            }
            ObjectNode json = Json.MAPPER.createObjectNode().put("domain", served.domain());
            ArrayNode alerts = json.putArray("alerts");
            for (Alert alert : own.watch().check(served.domain())) {
                alerts.addObject().put("kind", alert.kind().name().toLowerCase(Locale.ROOT)).put("subject", alert.subject())
                    .set("finding", finding(alert.finding()));
            }
            own.watch().state(served.domain())
                .ifPresent(state -> state.findings().forEach(finding -> json.withArray("findings").add(finding(finding))));
            return Json.respond(response, json);
        });
    }

    private static LocalDate day(Request request, String parameter, LocalDate otherwise) {
        String value = request.queryParams(parameter);
        if (value == null) {
            return otherwise;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw Json.badRequest(parameter + " is a day, YYYY-MM-DD, not " + value);
        }
    }

    private static ObjectNode finding(Finding finding) {
        ObjectNode json = Json.MAPPER.createObjectNode()
            .put("key", finding.key())
            .put("step", finding.step())
            .put("subject", finding.subject())
            .put("status", finding.status().name().toLowerCase(Locale.ROOT))
            .put("message", finding.message());
        finding.resultType().ifPresent(type -> json.put("resultType", type.code()));
        return json;
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

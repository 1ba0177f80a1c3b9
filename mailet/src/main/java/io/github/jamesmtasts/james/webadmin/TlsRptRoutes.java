package io.github.jamesmtasts.james.webadmin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jamesmtasts.tlsrpt.counting.PeriodCounts;
import io.github.jamesmtasts.tlsrpt.sending.ReportJson;
import io.github.jamesmtasts.tlsrpt.sending.TlsReport;
import io.github.jamesmtasts.tlsrpt.sending.TlsReporting;
import org.apache.james.webadmin.Routes;
import spark.Service;

import javax.inject.Inject;
import javax.inject.Provider;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code /tls-rpt/reports}: TLS-RPT (RFC 8460) as it stands.
 * <ul>
 *   <li>{@code GET}: the period under way, with the report each policy domain would get for it so far, in the
 *       JSON of RFC 8460 §4 (its {@code report-id} is a preview's);</li>
 *   <li>{@code POST ?action=send}: sends the reports of ended periods now, without the random delay after a
 *       period's end (202).</li>
 * </ul>
 * 404 when TLS-RPT is off ({@code tlsrpt.enabled=false}).
 */
public final class TlsRptRoutes implements Routes {
    static final String BASE = "/tls-rpt/reports";

    private final Provider<Optional<TlsReporting>> reporting;

    /** TLS-RPT is looked up at the first request: WebAdmin starts before James's domains are configured. */
    @Inject
    public TlsRptRoutes(Provider<Optional<TlsReporting>> reporting) {
        this.reporting = reporting;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        service.get(BASE, (request, response) -> {
            TlsReporting tlsrpt = enabled();
            PeriodCounts counts = tlsrpt.currentPeriod(Instant.now());
            ObjectNode current = Json.MAPPER.createObjectNode()
                .put("start", counts.period().start().toString())
                .put("end", counts.period().end().toString());
            ArrayNode reports = current.putArray("reports");
            for (String domain : counts.policyDomains()) {
                reports.add(Json.MAPPER.readTree(ReportJson.json(TlsReport.of(tlsrpt.settings(), counts, domain, "preview"))));
            }
            return Json.respond(response, current);
        });
        service.post(BASE, (request, response) -> {
            TlsReporting tlsrpt = enabled();
            if (!"send".equals(request.queryParams("action"))) {
                throw Json.badRequest("the only action is send: POST " + BASE + "?action=send");
            }
            tlsrpt.sendNow();
            response.status(202);
            return "";
        });
    }

    private TlsReporting enabled() {
        return reporting.get().orElseThrow(() -> Json.notFound("TLS-RPT is off (tlsrpt.enabled=false in conf/mta-sts.properties)"));
    }
}

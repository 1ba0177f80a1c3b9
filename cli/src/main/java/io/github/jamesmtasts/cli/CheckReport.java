package io.github.jamesmtasts.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of {@code mta-sts check}: the findings in the order they were made (TXT record, policy, each
 * MX host, TLS-RPT record) and whether a sender that enforces MTA-STS would deliver to the domain.
 */
final class CheckReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String domain;
    private final List<Finding> findings;
    private final boolean deliverable;

    CheckReport(String domain, List<Finding> findings, boolean deliverable) {
        this.domain = domain;
        this.findings = List.copyOf(findings);
        this.deliverable = deliverable;
    }

    List<Finding> findings() {
        return findings;
    }

    boolean deliverable() {
        return deliverable;
    }

    void printText(PrintStream out) {
        out.println("MTA-STS check of " + domain);
        for (Finding finding : findings) {
            out.printf("%-8s %-7s %s: %s%s%n", finding.status(), finding.step(), finding.subject(), finding.message(),
                finding.resultType().map(type -> " [" + type.code() + "]").orElse(""));
        }
        out.println(deliverable ? "A sender enforcing MTA-STS would deliver to " + domain + "."
            : "A sender enforcing MTA-STS would NOT deliver to " + domain + ".");
    }

    void printJson(PrintStream out) {
        ObjectNode report = JSON.createObjectNode().put("domain", domain).put("deliverable", deliverable);
        for (Finding finding : findings) {
            ObjectNode node = report.withArray("findings").addObject()
                .put("step", finding.step())
                .put("subject", finding.subject())
                .put("status", finding.status().name().toLowerCase(Locale.ROOT))
                .put("message", finding.message());
            finding.resultType().ifPresent(type -> node.put("resultType", type.code()));
        }
        try {
            out.println(JSON.writeValueAsString(report));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}

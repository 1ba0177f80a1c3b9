package io.github.jamesmtasts.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The outcome of a {@link DomainCheck}: the findings in the order they were made (TXT record, policy, each MX
 * host, DANE, TLS-RPT record) and whether a sender that enforces MTA-STS would deliver to the domain; printed as
 * text for a person or as JSON for a program.
 */
public final class CheckReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String domain;
    private final List<Finding> findings;
    private final boolean deliverable;

    public CheckReport(String domain, List<Finding> findings, boolean deliverable) {
        this.domain = Objects.requireNonNull(domain, "domain");
        this.findings = List.copyOf(findings);
        this.deliverable = deliverable;
    }

    public String domain() {
        return domain;
    }

    public List<Finding> findings() {
        return findings;
    }

    public boolean deliverable() {
        return deliverable;
    }

    public void printText(PrintStream out) {
        out.println("MTA-STS check of " + domain);
        for (Finding finding : findings) {
            out.printf("%-8s %-7s %s: %s%s%n", finding.status(), finding.step(), finding.subject(), finding.message(),
                finding.resultType().map(type -> " [" + type.code() + "]").orElse(""));
        }
        out.println(deliverable ? "A sender enforcing MTA-STS would deliver to " + domain + "."
            : "A sender enforcing MTA-STS would NOT deliver to " + domain + ".");
    }

    public void printJson(PrintStream out) {
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

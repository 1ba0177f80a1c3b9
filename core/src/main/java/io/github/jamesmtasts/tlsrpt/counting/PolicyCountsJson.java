package io.github.jamesmtasts.tlsrpt.counting;

import io.github.jamesmtasts.tlsrpt.counting.FailureGroup;
import io.github.jamesmtasts.tlsrpt.counting.PolicyCounts;
import io.github.jamesmtasts.tlsrpt.counting.PolicyScope;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jamesmtasts.result.ReportedPolicy;
import io.github.jamesmtasts.result.ResultType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * The {@code policies} part of an RFC 8460 §4.4 report, written and read back with Jackson: what a report
 * carries, and what {@link FileResultStore} keeps on disk between reports.
 */
public final class PolicyCountsJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PolicyCountsJson() {
    }

    /** RFC 8460 §4.4 {@code policies}: one entry per policy scope. */
    public static ArrayNode policies(List<PolicyCounts> policies) {
        ArrayNode array = MAPPER.createArrayNode();
        for (PolicyCounts counts : policies) {
            ObjectNode entry = array.addObject();
            policy(entry.putObject("policy"), counts.scope());
            ObjectNode summary = entry.putObject("summary");
            summary.put("total-successful-session-count", counts.successful());
            summary.put("total-failure-session-count", counts.totalFailures());
            // No failure-details when nothing failed, as the large senders do.
            if (!counts.failures().isEmpty()) {
                ArrayNode details = entry.putArray("failure-details");
                counts.failures().forEach((group, count) -> failure(details.addObject(), group, count));
            }
        }
        return array;
    }

    private static void policy(ObjectNode policy, PolicyScope scope) {
        ReportedPolicy reported = scope.policy();
        policy.put("policy-type", reported.type().code());
        if (reported.type() != ReportedPolicy.Type.NO_POLICY_FOUND) {
            // RFC 8460 §4.5: one string per policy line, each mx on its own; for tlsa, one per TLSA record.
            ArrayNode lines = policy.putArray("policy-string");
            reported.policyStrings().forEach(lines::add);
        }
        policy.put("policy-domain", scope.policyDomain());
        if (reported.type() == ReportedPolicy.Type.STS) {
            ArrayNode mx = policy.putArray("mx-host");
            reported.mxHosts().forEach(mx::add);
        }
    }

    private static void failure(ObjectNode detail, FailureGroup group, long count) {
        detail.put("result-type", group.resultType().code());
        group.sendingMtaIp().ifPresent(ip -> detail.put("sending-mta-ip", ip));
        group.receivingMxHostname().ifPresent(host -> detail.put("receiving-mx-hostname", host));
        group.receivingIp().ifPresent(ip -> detail.put("receiving-ip", ip));
        detail.put("failed-session-count", count);
        group.failureReasonCode().ifPresent(code -> detail.put("failure-reason-code", code));
    }

    /**
     * Reads back what {@link #policies} wrote.
     *
     * @throws IOException if the JSON is not of that form
     */
    public static List<PolicyCounts> readPolicies(JsonNode policies) throws IOException {
        if (!policies.isArray()) {
            throw new IOException("policies is not an array");
        }
        List<PolicyCounts> all = new ArrayList<>();
        for (JsonNode entry : policies) {
            JsonNode summary = entry.path("summary");
            Map<FailureGroup, Long> failures = new LinkedHashMap<>();
            for (JsonNode detail : entry.path("failure-details")) {
                failures.merge(readFailure(detail), requiredCount(detail, "failed-session-count"), Long::sum);
            }
            PolicyCounts counts = new PolicyCounts(readScope(entry.path("policy")),
                requiredCount(summary, "total-successful-session-count"), failures);
            if (counts.totalFailures() != requiredCount(summary, "total-failure-session-count")) {
                throw new IOException("failure count does not match failure details of " + counts.scope());
            }
            all.add(counts);
        }
        return all;
    }

    private static PolicyScope readScope(JsonNode policy) throws IOException {
        String type = requiredText(policy, "policy-type");
        String domain = requiredText(policy, "policy-domain");
        if (ReportedPolicy.Type.NO_POLICY_FOUND.code().equals(type)) {
            return new PolicyScope(domain, ReportedPolicy.noPolicyFound());
        }
        if (ReportedPolicy.Type.STS.code().equals(type)) {
            return new PolicyScope(domain, ReportedPolicy.sts(texts(policy.path("policy-string")), texts(policy.path("mx-host"))));
        }
        if (ReportedPolicy.Type.TLSA.code().equals(type)) {
            return new PolicyScope(domain, ReportedPolicy.tlsa(texts(policy.path("policy-string"))));
        }
        throw new IOException("unknown policy-type: " + type);
    }

    private static FailureGroup readFailure(JsonNode detail) throws IOException {
        String type = requiredText(detail, "result-type");
        ResultType resultType = ResultType.fromCode(type).orElseThrow(() -> new IOException("unknown result-type: " + type));
        return new FailureGroup(resultType, optionalText(detail, "sending-mta-ip").orElse(null),
            optionalText(detail, "receiving-mx-hostname").orElse(null), optionalText(detail, "receiving-ip").orElse(null),
            optionalText(detail, "failure-reason-code").orElse(null));
    }

    private static List<String> texts(JsonNode array) throws IOException {
        List<String> texts = new ArrayList<>();
        for (JsonNode item : array) {
            if (!item.isTextual()) {
                throw new IOException("not a string: " + item);
            }
            texts.add(item.textValue());
        }
        return texts;
    }

    private static String requiredText(JsonNode node, String field) throws IOException {
        return optionalText(node, field).orElseThrow(() -> new IOException("missing " + field));
    }

    private static Optional<String> optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
    }

    private static long requiredCount(JsonNode node, String field) throws IOException {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToExactIntegral() || value.asLong() < 0) {
            throw new IOException("missing or invalid " + field);
        }
        return value.asLong();
    }

    /** The Jackson mapper of the report JSON. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}

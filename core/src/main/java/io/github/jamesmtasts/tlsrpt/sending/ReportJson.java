package io.github.jamesmtasts.tlsrpt.sending;

import io.github.jamesmtasts.tlsrpt.counting.PolicyCountsJson;

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
 * The JSON of RFC 8460 §4.4, written with Jackson, and its GZIP form (§5.2). Field names and their
 * order are those of §4.4; {@code mx-host} is an array, as erratum 6241 corrects it. The
 * {@code policies} part is {@link PolicyCountsJson}'s.
 */
public final class ReportJson {
    /** RFC 8460 §6: media type of a compressed report. */
    public static final String GZIP_MEDIA_TYPE = "application/tlsrpt+gzip";

    private ReportJson() {
    }

    /** The report as UTF-8 JSON (RFC 8460 §4: I-JSON). */
    public static byte[] json(TlsReport report) {
        ObjectNode root = PolicyCountsJson.mapper().createObjectNode();
        root.put("organization-name", report.organizationName());
        ObjectNode range = root.putObject("date-range");
        // RFC 8460 §4.4: RFC 3339 date-time; the range ends at the period's last second (§4.1).
        range.put("start-datetime", DateTimeFormatter.ISO_INSTANT.format(report.period().start()));
        range.put("end-datetime", DateTimeFormatter.ISO_INSTANT.format(report.period().lastSecond()));
        root.put("contact-info", report.contactInfo());
        root.put("report-id", report.reportId());
        root.set("policies", PolicyCountsJson.policies(report.policies()));
        try {
            return PolicyCountsJson.mapper().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException("a JSON tree always serialises", e);
        }
    }

    /** The report's JSON compressed with GZIP (RFC 8460 §5.2, RFC 1952). */
    public static byte[] gzip(TlsReport report) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(json(report));
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory compression does not fail", e);
        }
        return compressed.toByteArray();
    }
}

package io.github.jamesmtasts.tlsrpt.receiving;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jamesmtasts.result.ReportedPolicy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the JSON of RFC 8460 §4.4 into a {@link ReceivedReport}, checking what the report schema of the tests
 * ({@code tlsrpt-report.schema.json}) checks: required fields, types, non-negative integer counts, the
 * {@code policy-type} values, the strings {@code sts} and {@code tlsa} need, and the forms of dates, domains and
 * addresses. One difference: a {@code result-type} this code does not know is kept, not refused, since RFC 8460 §6.6
 * lets new result types be registered.
 */
final class ReportParser {
    private static final ObjectMapper MAPPER = new ObjectMapper()
        // RFC 8460 §4: a report is I-JSON (RFC 7493 §2.3: no name twice in an object), one value and nothing after it.
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    // The patterns of tlsrpt-report.schema.json, matched whole.
    private static final String LABEL = "[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?";
    private static final Form DATE_TIME = new Form("an RFC 3339 date-time",
        "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})");
    private static final Form ADDR_SPEC = new Form("an addr-spec", "[^@\\s]+@[^@\\s]+");
    private static final Form A_LABEL_DOMAIN = new Form("a domain of A-labels", LABEL + "(\\." + LABEL + ")*");
    private static final Form MX_HOST_PATTERN = new Form("an mx pattern", "(\\*\\.)?" + LABEL + "(\\." + LABEL + ")*");
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

    /** A report nests 5 deep ({@code policies[].policy.policy-string[]}); unknown fields may add some. */
    static final int MAX_DEPTH = 64;
    /**
     * Some 50 000 failure details, more than any day's report has. A tree takes up to some 80 bytes a value (an empty
     * object), so at most 40 MB here.
     */
    static final int MAX_VALUES = 500_000;

    private ReportParser() {
    }

    /**
     * The report of {@code json}, or why it is none: {@link Reason#INVALID_JSON}, {@link Reason#TOO_COMPLEX} or
     * {@link Reason#SCHEMA_VIOLATION}.
     */
    static ReadResult parse(byte[] json) {
        JsonNode root;
        try {
            // RFC 8460 §4: I-JSON is UTF-8 (RFC 7493 §2.1); decoding strictly refuses other encodings and bad sequences.
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(json)).toString();
            Optional<Rejection> tooComplex = tooComplex(text);
            if (tooComplex.isPresent()) {
                return ReadResult.rejected(tooComplex.get());
            }
            root = MAPPER.readTree(text);
        } catch (CharacterCodingException e) {
            return ReadResult.rejected(Rejection.of(Reason.INVALID_JSON, "not UTF-8"));
        } catch (JsonProcessingException e) {
            return ReadResult.rejected(Rejection.of(Reason.INVALID_JSON, e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode()) {
            return ReadResult.rejected(Rejection.of(Reason.INVALID_JSON, "no JSON value"));
        }
        try {
            return ReadResult.accepted(report(new Field(root, "")), json);
        } catch (Violation violation) {
            return ReadResult.rejected(Rejection.of(Reason.SCHEMA_VIOLATION, violation.getMessage()));
        }
    }

    /** Why {@code text} is too deep or too many values to build as a tree, read as a stream of tokens. */
    private static Optional<Rejection> tooComplex(String text) throws JsonProcessingException {
        try (JsonParser tokens = MAPPER.createParser(text)) {
            int depth = 0;
            int values = 0;
            for (JsonToken token = tokens.nextToken(); token != null; token = tokens.nextToken()) {
                if (token.isStructStart() && ++depth > MAX_DEPTH) {
                    return Optional.of(Rejection.of(Reason.TOO_COMPLEX, "nested deeper than " + MAX_DEPTH));
                }
                if (token.isStructEnd()) {
                    depth--;
                } else if (token != JsonToken.FIELD_NAME && ++values > MAX_VALUES) {
                    return Optional.of(Rejection.of(Reason.TOO_COMPLEX, "more than " + MAX_VALUES + " values"));
                }
            }
            return Optional.empty();
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading a string fails only on bad JSON", e);
        }
    }

    private static ReceivedReport report(Field root) throws Violation {
        root.object();
        Field range = root.required("date-range").object();
        List<ReceivedPolicy> policies = new ArrayList<>();
        for (Field policy : root.required("policies").array()) {
            policies.add(policy(policy));
        }
        if (policies.isEmpty()) {
            throw new Violation("/policies", "no policy");
        }
        return new ReceivedReport(root.required("organization-name").nonEmptyText(), root.required("contact-info").text(ADDR_SPEC),
            root.required("report-id").nonEmptyText(), dateTime(range.required("start-datetime")),
            dateTime(range.required("end-datetime")), policies);
    }

    private static ReceivedPolicy policy(Field entry) throws Violation {
        entry.object();
        Field policy = entry.required("policy").object();
        Field summary = entry.required("summary").object();
        String typeCode = policy.required("policy-type").text();
        ReportedPolicy.Type type = Arrays.stream(ReportedPolicy.Type.values()).filter(t -> t.code().equals(typeCode)).findFirst()
            .orElseThrow(() -> new Violation(policy.pointer + "/policy-type", "not tlsa, sts or no-policy-found"));
        // RFC 8460 §4.4: policy-string and mx-host are required for sts, policy-string for tlsa.
        Optional<Field> strings = type == ReportedPolicy.Type.NO_POLICY_FOUND ? policy.optional("policy-string")
            : Optional.of(policy.required("policy-string"));
        Optional<Field> mxHosts = type == ReportedPolicy.Type.STS ? Optional.of(policy.required("mx-host")) : policy.optional("mx-host");
        List<ReceivedFailure> failures = new ArrayList<>();
        Optional<Field> details = entry.optional("failure-details");
        for (Field detail : details.isPresent() ? details.get().array() : List.<Field>of()) {
            failures.add(failure(detail));
        }
        return new ReceivedPolicy(type, policy.required("policy-domain").text(A_LABEL_DOMAIN),
            texts(strings, Field::text), texts(mxHosts, item -> item.text(MX_HOST_PATTERN)),
            summary.required("total-successful-session-count").count(), summary.required("total-failure-session-count").count(),
            failures);
    }

    private static ReceivedFailure failure(Field detail) throws Violation {
        detail.object();
        // RFC 8460 §6.6: result types are a registry that grows; one unknown here is kept as its string.
        return new ReceivedFailure(detail.required("result-type").nonEmptyText(),
            optionalIp(detail, "sending-mta-ip"), optionalText(detail, "receiving-mx-hostname", A_LABEL_DOMAIN),
            optionalText(detail, "receiving-mx-helo", null), optionalIp(detail, "receiving-ip"),
            detail.required("failed-session-count").count(), optionalText(detail, "additional-information", null),
            optionalText(detail, "failure-reason-code", null));
    }

    private static Instant dateTime(Field field) throws Violation {
        String text = field.text(DATE_TIME);
        try {
            // RFC 8460 §4.4: RFC 3339 date-time, with its offset.
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new Violation(field.pointer, "not a date-time");
        }
    }

    private static List<String> texts(Optional<Field> array, Reading<String> item) throws Violation {
        List<String> texts = new ArrayList<>();
        if (array.isPresent()) {
            for (Field element : array.get().array()) {
                texts.add(item.read(element));
            }
        }
        return texts;
    }

    private static String optionalText(Field object, String name, Form form) throws Violation {
        Optional<Field> field = object.optional(name);
        return field.isPresent() ? (form == null ? field.get().text() : field.get().text(form)) : null;
    }

    private static String optionalIp(Field object, String name) throws Violation {
        Optional<Field> field = object.optional(name);
        if (field.isEmpty()) {
            return null;
        }
        String ip = field.get().text();
        if (!isIpv4(ip) && !isIpv6(ip)) {
            throw new Violation(field.get().pointer, "not an IPv4 or IPv6 address");
        }
        return ip;
    }

    private static boolean isIpv4(String text) {
        return IPV4.matcher(text).matches();
    }

    /** RFC 4291 §2.2 text form: eight hex groups, or fewer around one {@code ::}; the last two may be written as IPv4. */
    static boolean isIpv6(String text) {
        int gap = text.indexOf("::");
        if (gap < 0) {
            return groups(text, true) == 8;
        }
        if (text.indexOf("::", gap + 1) >= 0) {
            return false;
        }
        int before = groups(text.substring(0, gap), false);
        int after = groups(text.substring(gap + 2), true);
        return before >= 0 && after >= 0 && before + after < 8;
    }

    /** How many 16-bit groups {@code colonSeparated} writes, or -1 if it is not hex groups. */
    private static int groups(String colonSeparated, boolean mayEndInIpv4) {
        if (colonSeparated.isEmpty()) {
            return 0;
        }
        String[] pieces = colonSeparated.split(":", -1);
        int groups = 0;
        for (int i = 0; i < pieces.length; i++) {
            if (mayEndInIpv4 && i == pieces.length - 1 && isIpv4(pieces[i])) {
                groups += 2;
            } else if (HEX_GROUP.matcher(pieces[i]).matches()) {
                groups++;
            } else {
                return -1;
            }
        }
        return groups;
    }

    /** A pattern a string must match whole, and what it is called in a violation's detail. */
    private static final class Form {
        private final String name;
        private final Pattern pattern;

        Form(String name, String pattern) {
            this.name = name;
            this.pattern = Pattern.compile(pattern);
        }
    }

    /** Reads one value of a field; may refuse it. */
    private interface Reading<T> {
        T read(Field field) throws Violation;
    }

    /** A JSON value and where it is in the report, as a JSON pointer for the detail of a violation. */
    private static final class Field {
        private final JsonNode node;
        private final String pointer;

        Field(JsonNode node, String pointer) {
            this.node = node;
            this.pointer = pointer;
        }

        Field object() throws Violation {
            if (!node.isObject()) {
                throw new Violation(pointer, "not an object");
            }
            return this;
        }

        Field required(String name) throws Violation {
            return optional(name).orElseThrow(() -> new Violation(pointer, "missing " + name));
        }

        Optional<Field> optional(String name) {
            return Optional.ofNullable(node.get(name)).map(value -> new Field(value, pointer + "/" + name));
        }

        List<Field> array() throws Violation {
            if (!node.isArray()) {
                throw new Violation(pointer, "not an array");
            }
            List<Field> elements = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) {
                elements.add(new Field(node.get(i), pointer + "/" + i));
            }
            return elements;
        }

        String text() throws Violation {
            if (!node.isTextual()) {
                throw new Violation(pointer, "not a string");
            }
            return node.textValue();
        }

        String nonEmptyText() throws Violation {
            String text = text();
            if (text.isEmpty()) {
                throw new Violation(pointer, "empty");
            }
            return text;
        }

        String text(Form form) throws Violation {
            String text = text();
            if (!form.pattern.matcher(text).matches()) {
                throw new Violation(pointer, "not " + form.name);
            }
            return text;
        }

        /** RFC 8460 §4.4 session counts: integers from 0 (written without a fraction, as the schema wants), up to a long's. */
        long count() throws Violation {
            if (!node.isIntegralNumber()) {
                throw new Violation(pointer, "not an integer");
            }
            BigInteger value = node.bigIntegerValue();
            if (value.signum() < 0) {
                throw new Violation(pointer, "negative");
            }
            if (value.bitLength() > 63) {
                throw new Violation(pointer, "too large");
            }
            return value.longValueExact();
        }
    }

    /** A report that is JSON but not of RFC 8460 §4.4's form; its message is the JSON pointer and the problem. */
    private static final class Violation extends Exception {
        private static final long serialVersionUID = 1L;

        Violation(String pointer, String problem) {
            super((pointer.isEmpty() ? "/" : pointer) + ": " + problem, null, false, false);
        }
    }
}

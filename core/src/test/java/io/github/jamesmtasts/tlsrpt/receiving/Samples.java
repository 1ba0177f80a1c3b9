package io.github.jamesmtasts.tlsrpt.receiving;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Report JSON for the tests: a report with every field RFC 8460 §4.4 has, and gzip. */
final class Samples {
    static final String JSON = "application/tlsrpt+json";
    static final String GZIP = "application/tlsrpt+gzip";

    private Samples() {
    }

    /** Two policies of example.com, an sts one with two kinds of failure and a no-policy-found one. */
    static String full(String reportId) {
        return report("Company-X", reportId, "2016-04-01T00:00:00Z", "2016-04-01T23:59:59Z", """
            {
              "policy": {
                "policy-type": "sts",
                "policy-string": ["version: STSv1", "mode: testing", "mx: *.mail.company-y.example", "max_age: 86400"],
                "policy-domain": "company-y.example",
                "mx-host": ["*.mail.company-y.example"]
              },
              "summary": {"total-successful-session-count": 5326, "total-failure-session-count": 303},
              "failure-details": [{
                "result-type": "certificate-expired",
                "sending-mta-ip": "2001:db8:abcd:0012::1",
                "receiving-mx-hostname": "mx1.mail.company-y.example",
                "failed-session-count": 100
              }, {
                "result-type": "starttls-not-supported",
                "sending-mta-ip": "2001:db8:abcd:0013::1",
                "receiving-mx-hostname": "mx2.mail.company-y.example",
                "receiving-ip": "203.0.113.56",
                "failed-session-count": 200,
                "additional-information": "https://reports.company-x.example/report_info?id=5065427c-23d3#StarttlsNotSupported"
              }, {
                "result-type": "validation-failure",
                "sending-mta-ip": "198.51.100.62",
                "receiving-ip": "203.0.113.58",
                "receiving-mx-hostname": "mx-backup.mail.company-y.example",
                "receiving-mx-helo": "mx-backup.mail.company-y.example",
                "failed-session-count": 3,
                "failure-reason-code": "X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED"
              }]
            }, {
              "policy": {"policy-type": "no-policy-found", "policy-domain": "company-y.example"},
              "summary": {"total-successful-session-count": 10, "total-failure-session-count": 0}
            }""");
    }

    /** A report of the given policies (the JSON of the {@code policies} array's elements). */
    static String report(String organization, String reportId, String start, String end, String policies) {
        return "{\n  \"organization-name\": \"" + organization + "\",\n"
            + "  \"date-range\": {\"start-datetime\": \"" + start + "\", \"end-datetime\": \"" + end + "\"},\n"
            + "  \"contact-info\": \"sts-reporting@company-x.example\",\n"
            + "  \"report-id\": \"" + reportId + "\",\n"
            + "  \"policies\": [" + policies + "]\n}";
    }

    /** One sts policy of {@code domain} with {@code failures} validation failures at mx1 from 192.0.2.1. */
    static String stsPolicy(String domain, long successful, long failures) {
        return "{\"policy\": {\"policy-type\": \"sts\", \"policy-string\": [\"version: STSv1\", \"mode: enforce\"],"
            + " \"policy-domain\": \"" + domain + "\", \"mx-host\": [\"mx1." + domain + "\"]},"
            + " \"summary\": {\"total-successful-session-count\": " + successful + ", \"total-failure-session-count\": " + failures + "},"
            + " \"failure-details\": [{\"result-type\": \"validation-failure\", \"sending-mta-ip\": \"192.0.2.1\","
            + " \"receiving-mx-hostname\": \"mx1." + domain + "\", \"failed-session-count\": " + failures + "}]}";
    }

    /** A report read from {@code json}, which must be a good one. */
    static ReceivedReport parse(String json) {
        return ReportParser.parse(utf8(json)).report().orElseThrow(() -> new AssertionError(ReportParser.parse(utf8(json))));
    }

    /** A report of one sts policy per domain, starting on {@code day} at midnight UTC. */
    static String daily(String organization, String reportId, String day, long successful, long failures, String... domains) {
        StringBuilder policies = new StringBuilder();
        for (String domain : domains) {
            policies.append(policies.length() == 0 ? "" : ", ").append(stsPolicy(domain, successful, failures));
        }
        return report(organization, reportId, day + "T00:00:00Z", day + "T23:59:59Z", policies.toString());
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return compressed.toByteArray();
    }
}

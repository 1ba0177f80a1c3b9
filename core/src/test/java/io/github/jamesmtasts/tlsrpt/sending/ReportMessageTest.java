package io.github.jamesmtasts.tlsrpt.sending;

import io.github.jamesmtasts.tlsrpt.counting.PolicyCountsJson;
import io.github.jamesmtasts.tlsrpt.counting.FailureGroup;
import io.github.jamesmtasts.tlsrpt.counting.PeriodCounts;
import io.github.jamesmtasts.tlsrpt.counting.PolicyCounts;
import io.github.jamesmtasts.tlsrpt.counting.PolicyScope;
import io.github.jamesmtasts.tlsrpt.counting.ReportPeriod;
import io.github.jamesmtasts.tlsrpt.counting.Results;
import io.github.jamesmtasts.result.ResultType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.ContentType;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class ReportMessageTest {
    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");

    @TempDir
    Path directory;

    private TlsReport report() {
        ReportPeriod period = ReportPeriod.containing(NOON, Duration.ofDays(1));
        FailureGroup expired = new FailureGroup(ResultType.CERTIFICATE_EXPIRED, "192.0.2.1", "mx1.example.net", "198.51.100.7", "expired");
        PeriodCounts counts = PeriodCounts.of(period, List.of(new PolicyCounts(new PolicyScope("example.net", Results.STS), 10, Map.of(expired, 2L))));
        return TlsReport.of(Reports.settings().build(), counts, "example.net", "a1b2");
    }

    /** The message as the receiving side reads it: written out and parsed again. */
    private static MimeMessage received(MimeMessage message) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        message.writeTo(bytes);
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes.toByteArray()));
    }

    @Test
    void isAMultipartReportOfTypeTlsrptWithTheGzipReportAttached() throws Exception {
        TlsReport report = report();
        MimeMessage message = received(ReportMessage.create(report, "reports@example.net", NOON));

        ContentType type = new ContentType(message.getContentType());
        assertThat(type.getBaseType()).isEqualTo("multipart/report");
        assertThat(type.getParameter("report-type")).isEqualTo("tlsrpt");
        MimeMultipart parts = (MimeMultipart) message.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(new ContentType(parts.getBodyPart(0).getContentType()).getBaseType()).isEqualTo("text/plain");
        assertThat((String) parts.getBodyPart(0).getContent()).contains("example.net", "10 successful", "2 failed");

        Part attachment = parts.getBodyPart(1);
        assertThat(new ContentType(attachment.getContentType()).getBaseType()).isEqualTo("application/tlsrpt+gzip");
        assertThat(attachment.getDisposition()).isEqualTo(Part.ATTACHMENT);
        assertThat(attachment.getFileName()).isEqualTo("mail.sender.example!example.net!1714521600!1714607999!a1b2.json.gz");
        assertThat(attachment.getHeader("Content-Transfer-Encoding")).containsExactly("base64");
        byte[] json = Reports.gunzip(attachment.getInputStream().readAllBytes());
        assertThat(json).isEqualTo(ReportJson.json(report));
        assertThat(ReportSchema.violations(json)).isEmpty();
    }

    @Test
    void carriesTheHeaderFieldsOfRfc8460AndTlsRequiredNo() throws Exception {
        TlsReport report = report();
        MimeMessage message = received(ReportMessage.create(report, "reports@example.net", NOON));

        assertThat(message.getHeader("TLS-Report-Domain")).containsExactly("example.net");
        assertThat(message.getHeader("TLS-Report-Submitter")).containsExactly("mail.sender.example");
        assertThat(message.getHeader("TLS-Required")).containsExactly("No");
        assertThat(MimeUtility.unfold(message.getHeader("Subject", null)))
            .isEqualTo("Report Domain: example.net Submitter: mail.sender.example Report-ID: <" + report.reportId() + ">");
        assertThat(message.getFrom()[0].toString()).isEqualTo("tlsrpt@mail.sender.example");
        assertThat(message.getAllRecipients()[0].toString()).isEqualTo("reports@example.net");
        assertThat(message.getMessageID()).isEqualTo("<" + report.reportId() + ">");
        assertThat(message.getSentDate().toInstant()).isEqualTo(NOON);
    }

    @Test
    void submitterIsTheDomainOfContactInfo() throws Exception {
        MimeMessage message = received(ReportMessage.create(report(), "reports@example.net", NOON));
        MimeMultipart parts = (MimeMultipart) message.getContent();
        String contact = PolicyCountsJson.mapper().readTree(Reports.gunzip(parts.getBodyPart(1).getInputStream().readAllBytes()))
            .path("contact-info").asText();

        assertThat(contact.substring(contact.indexOf('@') + 1)).isEqualTo(message.getHeader("TLS-Report-Submitter")[0]);
    }

    @Test
    void staysSevenBitClean() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ReportMessage.create(report(), "reports@example.net", NOON).writeTo(bytes);

        assertThat(new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1).chars()).allMatch(c -> c < 128);
    }
}

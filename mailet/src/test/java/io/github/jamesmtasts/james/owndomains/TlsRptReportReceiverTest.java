package io.github.jamesmtasts.james.owndomains;

import io.github.jamesmtasts.james.SingleRepositoryStore;
import io.github.jamesmtasts.tlsrpt.receiving.FileReceivedReportStore;
import io.github.jamesmtasts.tlsrpt.receiving.IntakeListener;
import io.github.jamesmtasts.tlsrpt.receiving.ReportIntake;
import io.github.jamesmtasts.tlsrpt.receiving.ReportReader;
import org.apache.james.mailrepository.memory.MemoryMailRepository;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.activation.DataHandler;
import javax.mail.Session;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The mailet that reads mailed TLS-RPT reports (RFC 8460 §5.3): kept once, or the mail kept with the reason. */
class TlsRptReportReceiverTest {
    private static final String DOMAIN = "own.example";

    @TempDir
    Path directory;

    @Test
    void aGzipReportLargerThanTheDecodersBufferIsReadWholeAndKeptOnce() throws Exception {
        Receiver receiver = new Receiver(directory);
        // Padding in the policy strings makes the gzip far larger than the 8 KiB a base64 decoder reads at once.
        byte[] report = gzip(report(40_000));
        assertThat(report.length).isGreaterThan(16_384);
        Mail mail = receiver.receive(reportMail("application/tlsrpt+gzip", report));
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(receiver.rejected.size()).isZero();
        assertThat(receiver.store.reports(DOMAIN, LocalDate.parse("2026-12-01"), LocalDate.parse("2026-12-01"))).hasSize(1);

        receiver.receive(reportMail("application/tlsrpt+gzip", report));
        assertThat(receiver.rejected.size()).as("a replay is no error").isZero();
        assertThat(receiver.store.size()).isEqualTo(1);
    }

    @Test
    void aMailWithoutAReportIsKeptWithTheReason() throws Exception {
        Receiver receiver = new Receiver(directory);
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setText("no report here");
        message.saveChanges();
        Mail mail = receiver.receive(message);
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(receiver.rejected.size()).isEqualTo(1);
        Mail kept = receiver.rejected.retrieve(receiver.rejected.list().next());
        assertThat(kept.getAttribute(TlsRptReportReceiver.REJECTION).orElseThrow().getValue().value().toString())
            .contains("UNSUPPORTED_MEDIA_TYPE");
    }

    private static final class Receiver {
        final MemoryMailRepository rejected = new MemoryMailRepository();
        final FileReceivedReportStore store;
        final TlsRptReportReceiver mailet;

        Receiver(Path directory) throws Exception {
            OwnDomainSettings settings = OwnDomainSettings.builder(directory).build();
            store = new FileReceivedReportStore(directory.resolve("received"));
            ReportIntake intake = new ReportIntake(new ReportReader(ReportReader.Limits.DEFAULT), DOMAIN::equals, store, IntakeListener.NONE);
            mailet = new TlsRptReportReceiver(new SingleRepositoryStore(rejected), Optional.of(intake), settings);
            mailet.init(FakeMailetConfig.builder().mailetName("tlsrpt").mailetContext(FakeMailContext.defaultContext()).build());
        }

        Mail receive(MimeMessage message) throws Exception {
            Mail mail = MailImpl.builder().name("report-" + System.nanoTime()).sender("noreply@reporter.example")
                .addRecipient("tlsrpt@" + DOMAIN).mimeMessage(message).build();
            mailet.service(mail);
            return mail;
        }
    }

    private static MimeMessage reportMail(String contentType, byte[] report) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        MimeMultipart multipart = new MimeMultipart("report; report-type=tlsrpt");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("A TLS-RPT report.");
        multipart.addBodyPart(text);
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(report, contentType)));
        multipart.addBodyPart(attachment);
        message.setContent(multipart);
        message.saveChanges();
        // Through its wire form, as James reads a mail it received.
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        message.writeTo(wire);
        return new MimeMessage(Session.getInstance(new Properties()), new java.io.ByteArrayInputStream(wire.toByteArray()));
    }

    /** A valid report for {@link #DOMAIN} whose policy strings carry {@code padding} random-ish characters. */
    private static byte[] report(int padding) {
        StringBuilder noise = new StringBuilder();
        for (int i = 0; noise.length() < padding; i++) {
            noise.append(Integer.toHexString(i * 2654435761L > 0 ? (int) (i * 2654435761L) : i));
        }
        return ("{\"organization-name\":\"Reporter\",\"date-range\":{\"start-datetime\":\"2026-12-01T00:00:00Z\","
            + "\"end-datetime\":\"2026-12-01T23:59:59Z\"},\"contact-info\":\"tlsrpt@reporter.example\",\"report-id\":\"r-1\","
            + "\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":[\"version: STSv1\",\"mode: testing\","
            + "\"mx: mx." + DOMAIN + "\",\"max_age: 86400\",\"x-padding: " + noise + "\"],\"policy-domain\":\"" + DOMAIN + "\","
            + "\"mx-host\":[\"mx." + DOMAIN + "\"]},"
            + "\"summary\":{\"total-successful-session-count\":1,\"total-failure-session-count\":0}}]}").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] gzip(byte[] json) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(json);
        }
        return bytes.toByteArray();
    }
}

package io.github.jamesmtasts.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.jamesmtasts.testkit.PolicyHost;
import io.github.jamesmtasts.testkit.PostfixServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.api.SignatureRecord;

import javax.mail.internet.ContentType;
import javax.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static io.github.jamesmtasts.it.World.Certificate.VALID;
import static io.github.jamesmtasts.it.World.Certificate.WRONG_NAME;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS-RPT end to end (RFC 8460): James delivers to several domains, with successes and failures, across a
 * restart in the middle of a report period; when the period has passed, the reports arrive by mail at the
 * reporting domain's MX and by HTTPS at a loopback endpoint, and a domain whose TLS-RPT record is invalid
 * gets none. The reporting domain's own MX fails its enforce policy, yet reports reach it (RFC 8460 §5.3.1).
 * The period is shortened with {@code run-james.sh --tlsrpt-period}, as an admin would for a test.
 */
class TlsRptIT {
    private static final Duration PERIOD = Duration.ofMinutes(2);
    /** Time left in the period for a James restart and the deliveries around it. */
    private static final Duration NEEDED_IN_PERIOD = Duration.ofSeconds(80);
    /** The period's end, the random send delay (a quarter of the period) and delivery. */
    private static final Duration REPORT_WAIT = PERIOD.plus(PERIOD.dividedBy(4)).plus(Duration.ofSeconds(90));

    @TempDir
    static Path directory;
    private static Stage stage;
    private static String submitter;

    @BeforeAll
    static void start() {
        submitter = "reporter.example";
        stage = Stage.start("tlsrpt", directory, "enforce",
            List.of("--tlsrpt-period", PERIOD.getSeconds() + "s", "--tlsrpt-submitter", submitter));
    }

    @AfterAll
    static void stop() throws Exception {
        if (stage != null) {
            stage.close();
        }
    }

    @Test
    void reportsArriveByMailAndHttpsWithTheCountsOfThePeriodAcrossARestart() throws Exception {
        World world = stage.world;
        String reportsDomain = world.domain("reports");
        // RFC 8460 §5.3.1: reports go out despite MTA-STS failures at the receiving domain (TLS-Required: No).
        world.publishPolicy(reportsDomain, "1", "enforce", "mx." + reportsDomain);
        PostfixServer reportsMx = world.mx(reportsDomain, 10, "mx." + reportsDomain, WRONG_NAME, "tlsrpt");

        String good = world.domain("good");
        world.publishPolicy(good, "1", "enforce", "mx." + good);
        PostfixServer goodMx = world.mx(good, 10, "mx." + good, VALID, "bob");
        world.publishTlsRpt(good, "v=TLSRPTv1; rua=mailto:tlsrpt@" + reportsDomain);

        String broken = world.domain("broken");
        world.publishPolicy(broken, "1", "enforce", "mx." + broken);
        world.mx(broken, 10, "mx." + broken, WRONG_NAME, "carol");
        PolicyHost collector = world.httpsHost("rua." + broken);
        collector.respond("/tlsrpt", PolicyHost.Response.status(201));
        world.publishTlsRpt(broken, "v=TLSRPTv1; rua=https://rua." + broken + "/tlsrpt");

        // RFC 8460 §3: two records, so not exactly one: no report, though both name a valid destination.
        String invalid = world.domain("invalid");
        PostfixServer invalidMx = world.mx(invalid, 10, "mx." + invalid, VALID, "dave");
        world.publishTlsRpt(invalid, "v=TLSRPTv1; rua=mailto:tlsrpt@" + reportsDomain);
        world.publishTlsRpt(invalid, "v=TLSRPTv1; rua=mailto:tlsrpt@" + reportsDomain);

        Instant periodStart = ReportMails.awaitRoomInPeriod(PERIOD, NEEDED_IN_PERIOD);
        stage.submission.send(stage.sender, "bob@" + good);
        stage.submission.send(stage.sender, "carol@" + broken);
        stage.submission.send(stage.sender, "dave@" + invalid);
        World.await(goodMx, "bob", 1);
        World.await(invalidMx, "dave", 1);
        stage.awaitAttempt(broken, "certificate-host-mismatch");

        stage.james.stop();
        stage.james.start();
        stage.submission.send(stage.sender, "bob@" + good);
        World.await(goodMx, "bob", 2);
        assertThat(Instant.now()).as("both deliveries to %s fell in one period", good).isBefore(periodStart.plus(PERIOD));

        String raw = reportMail(reportsMx, good);
        MimeMessage mailed = ReportMails.parse(raw);
        assertReportMail(mailed, good);
        assertDkimVerifies(raw);
        JsonNode goodReport = ReportMails.gunzipJson(ReportMails.attachment(mailed));
        assertThat(goodReport.at("/organization-name").asText()).isEqualTo(submitter);
        assertThat(goodReport.at("/contact-info").asText()).isEqualTo("tlsrpt-noreply@" + submitter);
        assertThat(goodReport.at("/date-range/start-datetime").asText()).isEqualTo(periodStart.toString());
        JsonNode goodPolicy = goodReport.at("/policies/0");
        assertThat(goodPolicy.at("/policy/policy-type").asText()).isEqualTo("sts");
        assertThat(goodPolicy.at("/policy/policy-domain").asText()).isEqualTo(good);
        assertThat(goodPolicy.at("/policy/mx-host").get(0).asText()).isEqualTo("mx." + good);
        assertThat(goodPolicy.at("/summary/total-successful-session-count").asLong()).isEqualTo(2);
        assertThat(goodPolicy.at("/summary/total-failure-session-count").asLong()).isZero();

        World.until("a report POSTed to " + collector.address(), () -> !collector.requests().isEmpty());
        PolicyHost.Request upload = collector.requests().get(0);
        assertThat(upload.method()).isEqualTo("POST");
        assertThat(upload.contentType()).isEqualTo("application/tlsrpt+gzip");
        JsonNode brokenPolicy = ReportMails.gunzipJson(upload.body()).at("/policies/0");
        assertThat(brokenPolicy.at("/policy/policy-domain").asText()).isEqualTo(broken);
        assertThat(brokenPolicy.at("/summary/total-successful-session-count").asLong()).isZero();
        assertThat(brokenPolicy.at("/summary/total-failure-session-count").asLong()).isPositive();
        assertThat(brokenPolicy.at("/failure-details/0/result-type").asText()).isEqualTo("certificate-host-mismatch");
        assertThat(brokenPolicy.at("/failure-details/0/receiving-mx-hostname").asText()).isEqualTo("mx." + broken);

        assertThat(reportDomains(reportsMx)).containsOnly(good);
    }

    /** The report mail about {@code domain} at the reporting MX, as received, once it has come. */
    private static String reportMail(PostfixServer mx, String domain) throws Exception {
        Instant deadline = Instant.now().plus(REPORT_WAIT);
        while (Instant.now().isBefore(deadline)) {
            Optional<String> found = ReportMails.about(mx, "tlsrpt", domain).stream().findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no TLS-RPT report about " + domain + " within " + REPORT_WAIT);
    }

    /** RFC 8460 §5.3: the headers, subject and MIME structure of a report mail. */
    private static void assertReportMail(MimeMessage message, String domain) throws Exception {
        assertThat(ReportMails.header(message, "TLS-Report-Submitter")).isEqualTo(submitter);
        assertThat(ReportMails.header(message, "TLS-Required")).isEqualToIgnoringCase("No");
        assertThat(message.getSubject()).isEqualTo("Report Domain: " + domain + " Submitter: " + submitter
            + " Report-ID: <" + ReportMails.gunzipJson(ReportMails.attachment(message)).at("/report-id").asText() + ">");
        ContentType type = new ContentType(message.getContentType());
        assertThat(type.getBaseType()).isEqualToIgnoringCase("multipart/report");
        assertThat(type.getParameter("report-type")).isEqualTo("tlsrpt");
        String dkim = ReportMails.header(message, "DKIM-Signature");
        assertThat(dkim).as("the report is DKIM-signed").isNotNull();
        String signed = dkim.replaceAll("\\s", "").toLowerCase();
        assertThat(signed).contains("d=" + submitter + ";").doesNotContain(";l=");
        assertThat(signed.replaceAll(".*;h=([^;]*).*", "$1").split(":")).contains("tls-report-domain", "tls-report-submitter");
    }

    /**
     * RFC 8460 §3: the signature verifies, by the jDKIM library James's own {@code DKIMVerify} uses, with the
     * public key run-james.sh wrote for publication in DNS ({@code conf/tlsrpt-dkim.txt}).
     */
    private static void assertDkimVerifies(String raw) throws Exception {
        String record = Files.readString(stage.james.home().resolve("conf/tlsrpt-dkim.txt")).trim();
        PublicKeyRecordRetriever dns = (method, selector, token) -> {
            assertThat(selector + "._domainkey." + token).isEqualTo("tlsrpt._domainkey." + submitter);
            return List.of(record);
        };
        // Postfix stores the message with LF line ends; SMTP carried it with CRLF.
        byte[] received = raw.replaceAll("\r?\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        List<SignatureRecord> verified = new DKIMVerifier(dns).verify(new ByteArrayInputStream(received));
        assertThat(verified).isNotEmpty();
    }

    private static List<MimeMessage> reports(PostfixServer mx) {
        return World.received(mx, "tlsrpt").stream().map(ReportMails::parse).collect(Collectors.toList());
    }

    private static List<String> reportDomains(PostfixServer mx) {
        return reports(mx).stream().map(message -> ReportMails.header(message, "TLS-Report-Domain")).collect(Collectors.toList());
    }

}

package io.github.jamesmtasts.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.jamesmtasts.testkit.LoopbackAddresses;
import io.github.jamesmtasts.testkit.PostfixServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.activation.DataHandler;
import javax.mail.Message;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * James's own domains (issue 17), two real James servers in the loopback world: James A hosts a domain, serves its
 * MTA-STS policy on its HTTPS listener (certificates from a certbot-style directory) and receives its mail on an MX
 * address of its own; James B sends to that domain, fetches the policy A serves, and sends its TLS-RPT report about
 * the domain to A by mail and by HTTPS. A real third-party MTA-STS client, Debian's {@code mta-sts-query}, fetches
 * the same policy. Bad reports, by mail and by POST, are refused and kept or answered, never stored.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OwnDomainsIT {
    private static final Duration PERIOD = Duration.ofSeconds(30);

    @TempDir
    static Path directory;
    private static Stage sender;
    private static JamesProcess host;
    private static WebAdmin hostAdmin;
    private static String own;
    private static InetAddress listener;

    @BeforeAll
    static void start() throws Exception {
        sender = Stage.start("own-sender", directory, "enforce", List.of("--tlsrpt-period", PERIOD.getSeconds() + "s"));
        World world = sender.world;
        own = world.domain("own");
        listener = LoopbackAddresses.next();
        InetAddress mx = LoopbackAddresses.next();
        world.dns().a("mta-sts." + own, listener.getHostAddress());
        world.dns().mx(own, 10, "mx." + own);
        world.dns().a("mx." + own, mx.getHostAddress());

        List<String> options = new ArrayList<>(world.jamesOptions());
        options.addAll(List.of("--serve-policy", listener.getHostAddress() + ":443"));
        host = JamesProcess.create("own-host", options)
            // James A receives the domain's mail on port 25 of its MX address, as a second SMTP server.
            .editConf("smtpserver.xml", conf -> conf.replaceFirst("(?s)(<smtpserver enabled=\"true\">.*?</smtpserver>)",
                "$1\n" + java.util.regex.Matcher.quoteReplacement(secondServer(conf, mx))))
            .editConf("mta-sts.properties", conf -> conf.replace("watch.alertsTo=", "watch.alertsTo=" + sender.sender))
            // The admin's domain, in the configuration (the memory server's WebAdmin domains do not outlive a restart).
            .editConf("domainlist.xml", conf -> conf.replace("<domainname>localhost</domainname>",
                "<domainname>localhost</domainname><domainname>" + own + "</domainname>"));
        Path certificates = host.home().resolve("conf/mta-sts-certificates/" + own);
        Files.createDirectories(certificates);
        world.certificateFor("mta-sts." + own).writePemFiles(certificates);
        host.start();
        hostAdmin = new WebAdmin(host).awaitUp();
        assertThat(hostAdmin.call("PUT", "/users/bob", "{\"password\":\"secret\"}").statusCode()).isEqualTo(204);
    }

    private static String secondServer(String conf, InetAddress mx) {
        String server = conf.replaceFirst("(?s).*?(<smtpserver enabled=\"true\">.*?</smtpserver>).*", "$1");
        return server.replaceFirst("<jmxName>[^<]*</jmxName>", "<jmxName>smtpserver-mx</jmxName>")
            .replaceFirst("<bind>[^<]*</bind>", "<bind>" + mx.getHostAddress() + ":25</bind>");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (host != null) {
                host.close();
            }
        } finally {
            if (sender != null) {
                sender.close();
            }
        }
    }

    @Test
    @Order(1)
    void theServedPolicyIsFetchedByJamesBAndByMtaStsQueryAndReportsComeBackByMailAndHttps() throws Exception {
        JsonNode served = WebAdmin.json(hostAdmin.call("GET", "/mta-sts/domains/" + own, null), 200);
        assertThat(served.get("mode").asText()).isEqualTo("testing");
        assertThat(served.get("mx").get(0).asText()).isEqualTo("mx." + own);
        assertThat(served.at("/stsRecord/published").asBoolean()).as("nothing in DNS yet").isFalse();
        String id = served.get("id").asText();
        assertThat(served.at("/stsRecord/value").asText()).isEqualTo("v=STSv1; id=" + id);
        String tlsRpt = served.at("/tlsRptRecord/value").asText();
        assertThat(tlsRpt).isEqualTo("v=TLSRPTv1; rua=mailto:tlsrpt@" + own + ",https://mta-sts." + own + "/tlsrpt");

        // The admin publishes what WebAdmin shows.
        sender.world.dns().txt("_mta-sts." + own, served.at("/stsRecord/value").asText());
        sender.world.publishTlsRpt(own, tlsRpt);
        JsonNode published = WebAdmin.json(hostAdmin.call("GET", "/mta-sts/domains/" + own, null), 200);
        assertThat(published.at("/stsRecord/published").asBoolean()).isTrue();
        assertThat(published.at("/tlsRptRecord/published").asBoolean()).isTrue();

        // A third-party MTA-STS client (postfix-mta-sts-resolver) through the world's DNS and CA.
        String query = mtaStsQuery(own);
        assertThat(query).contains("'testing'").contains("mx." + own).contains(id);

        // James B delivers to the domain, under the policy A serves.
        sender.submission.send(sender.sender, "bob@" + own);
        WebAdmin senderAdmin = new WebAdmin(sender.james).awaitUp();
        World.until("James B holds the policy James A serves", () -> policyIdAt(senderAdmin).equals(id));
        sender.awaitAttempt(own, "bob@" + own + "=delivered");

        // After the period, B reports the domain's sessions: by mail and by HTTPS, both to A, one report.
        Thread.sleep(PERIOD.toMillis());
        World.until("a report received at James A", () -> {
            post(senderAdmin, "/tls-rpt/reports?action=send");
            return receivedReports().size() > 0;
        }, Duration.ofMinutes(2));
        JsonNode reports = WebAdmin.json(hostAdmin.call("GET", "/mta-sts/domains/" + own + "/reports", null), 200);
        JsonNode day = reports.at("/days/0");
        assertThat(day.get("successful").asLong() + day.get("failed").asLong()).isPositive();
        String reportId = reports.at("/reports/0/reportId").asText();
        JsonNode raw = WebAdmin.json(hostAdmin.call("GET", "/mta-sts/domains/" + own + "/reports/" + reportId, null), 200);
        assertThat(raw.at("/policies/0/policy/policy-domain").asText()).isEqualTo(own);
        World.until("the same report by mail and by HTTPS, kept once",
            () -> metric(hostAdmin, "tlsrpt_received_accepted") == 1 && metric(hostAdmin, "tlsrpt_received_rejected_duplicate") == 1);
    }

    @Test
    @Order(2)
    void theWatchMailsEachNewProblemOnceAndNothingWhileNothingChanges() throws Exception {
        String path = "/mta-sts/domains/" + own + "/watch";
        // James A's MX presents run-james.sh's self-signed certificate, which no sender can verify for mx.<own>.
        JsonNode first = WebAdmin.json(hostAdmin.call("POST", path + "?action=check", null), 200);
        List<String> subjects = new ArrayList<>();
        first.get("alerts").forEach(alert -> subjects.add(alert.get("subject").asText()));
        assertThat(first.get("alerts")).as(first.toString()).isNotEmpty();
        assertThat(first.findValuesAsText("subject")).anyMatch(subject -> subject.contains("mx." + own));
        World.until("the alerts mailed to watch.alertsTo", () -> World.received(sender.senderMx, "alice").stream()
            .filter(mail -> mail.contains(own)).count() >= subjects.size());

        JsonNode second = WebAdmin.json(hostAdmin.call("POST", path + "?action=check", null), 200);
        assertThat(second.get("alerts")).as("nothing changed: no alert").isEmpty();
        JsonNode state = WebAdmin.json(hostAdmin.call("GET", path, null), 200);
        assertThat(state.get("findings")).isNotEmpty();
        assertThat(state.at("/readiness/verdict").asText()).isIn("not_yet", "failures", "ready");
    }

    @Test
    @Order(3)
    void badReportsArePostedBackWithTheirStatusAndMailedOnesKeptInTheRejectedRepository() throws Exception {
        SSLContext tls = sender.world.clientContext();
        assertThat(postReport(tls, "application/tlsrpt+gzip", "not gzip".getBytes(StandardCharsets.US_ASCII))).isEqualTo(400);
        assertThat(postReport(tls, "application/tlsrpt+json", "{not json".getBytes(StandardCharsets.US_ASCII))).isEqualTo(400);
        assertThat(postReport(tls, "text/plain", "{}".getBytes(StandardCharsets.US_ASCII))).isEqualTo(415);
        assertThat(postReport(tls, "application/tlsrpt+gzip", gzipBomb())).isEqualTo(413);
        assertThat(postReport(tls, "application/tlsrpt+json", new byte[2 << 20])).isEqualTo(413);
        assertThat(postReport(tls, "application/tlsrpt+json", report("unhosted.example", "r-unknown"))).isEqualTo(400);

        // The same bad inputs by mail (RFC 8460 §5.3), each kept in the rejected repository.
        mailReport("application/tlsrpt+json", "{\"organization-name\":\"x\"}".getBytes(StandardCharsets.US_ASCII));
        mailReport("application/tlsrpt+gzip", "not gzip".getBytes(StandardCharsets.US_ASCII));
        mailReport("application/tlsrpt+json", "{not json".getBytes(StandardCharsets.US_ASCII));
        mailReport("application/tlsrpt+gzip", gzipBomb());
        mailReport("application/tlsrpt+json", report("unhosted.example", "r-unknown-by-mail"));
        String repository = URLEncoder.encode("var/mail/tlsrpt-rejected/", StandardCharsets.UTF_8);
        World.until("the bad report mails kept in the rejected repository", () -> {
            try {
                JsonNode keys = WebAdmin.json(hostAdmin.call("GET", "/mailRepositories/" + repository + "/mails", null), 200);
                return keys.size() == 5;
            } catch (IOException | AssertionError e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        assertThat(host.log()).contains("rejected SCHEMA_VIOLATION");
        assertThat(metric(hostAdmin, "tlsrpt_received_rejected_schema_violation")).isEqualTo(1);
        assertThat(metric(hostAdmin, "tlsrpt_received_rejected_not_gzip")).isEqualTo(2);
        assertThat(metric(hostAdmin, "tlsrpt_received_rejected_invalid_json")).isEqualTo(2);
        assertThat(metric(hostAdmin, "tlsrpt_received_rejected_decompressed_too_large")).isEqualTo(2);
        assertThat(metric(hostAdmin, "tlsrpt_received_rejected_unknown_domain")).isEqualTo(2);
    }

    /** RFC 8461 §8.3: a domain moved from {@code testing} to {@code none} may drop its policy only after the old max_age. */
    @Test
    @Order(4)
    void aPolicyWithdrawnByTheAdminIsServedAsNoneAndWebAdminSaysWhenItMayGo() throws Exception {
        assertThat(WebAdmin.json(hostAdmin.call("GET", "/mta-sts/domains/" + own, null), 200).get("mode").asText()).isEqualTo("testing");
        host.stop();
        host.editConf("mta-sts.properties", conf -> conf + "serve.domain." + own + ".mode=none\n");
        Instant switched = Instant.now();
        host.start();
        hostAdmin.awaitUp();
        JsonNode withdrawn = WebAdmin.json(hostAdmin.call("GET", "/mta-sts/domains/" + own, null), 200);
        assertThat(withdrawn.get("mode").asText()).isEqualTo("none");
        Instant safe = Instant.parse(withdrawn.get("removalSafeAt").asText());
        assertThat(safe).isBetween(switched.plus(Duration.ofDays(7)), Instant.now().plus(Duration.ofDays(7)));
        assertThat(mtaStsQuery(own)).contains("'none'");
    }

    private static String policyIdAt(WebAdmin admin) {
        try {
            HttpResponse<String> response = admin.call("GET", "/mta-sts/policies/" + own, null);
            return response.statusCode() == 200 ? WebAdmin.json(response, 200).get("id").asText() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static List<JsonNode> receivedReports() {
        try {
            HttpResponse<String> response = hostAdmin.call("GET", "/mta-sts/domains/" + own + "/reports", null);
            List<JsonNode> found = new ArrayList<>();
            WebAdmin.json(response, 200).withArray("reports").forEach(found::add);
            return found;
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static void post(WebAdmin admin, String path) {
        try {
            admin.call("POST", path, null);
        } catch (IOException e) {
            // tried again by the caller's loop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A counter of James's metrics (WebAdmin {@code /metrics}, Prometheus text), 0 when absent. */
    private static long metric(WebAdmin admin, String name) {
        try {
            return admin.call("GET", "/metrics", null).body().lines()
                .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "_total "))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** RFC 8460 §5.4: a report POSTed to the listener at {@code https://mta-sts.<domain>/tlsrpt}; the status. */
    private static int postReport(SSLContext tls, String contentType, byte[] body) throws IOException {
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(listener, 443), 10_000);
            socket.setSoTimeout(30_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName("mta-sts." + own)));
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /tlsrpt HTTP/1.1\r\nHost: mta-sts." + own + "\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            try {
                out.write(body);
                out.flush();
            } catch (IOException refusedEarly) {
                // a 413 may come before the whole body was taken
            }
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    /** A TLS-RPT report mail (RFC 8460 §5.3) to {@code tlsrpt@<own>}, submitted to James A. */
    private static void mailReport(String contentType, byte[] report) throws Exception {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", "127.0.0.1");
        properties.put("mail.smtp.port", String.valueOf(host.smtpPort()));
        properties.put("mail.smtp.localhost", "reporter.test");
        Session session = Session.getInstance(properties);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("noreply@reporter.test"));
        message.addRecipient(Message.RecipientType.TO, new InternetAddress("tlsrpt@" + own));
        message.setSubject("Report Domain: " + own);
        MimeMultipart multipart = new MimeMultipart("report; report-type=tlsrpt");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("A TLS-RPT report.");
        multipart.addBodyPart(text);
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(report, contentType)));
        attachment.setFileName("report.json");
        multipart.addBodyPart(attachment);
        message.setContent(multipart);
        Transport.send(message);
    }

    private static byte[] report(String domain, String reportId) {
        return ("{\"organization-name\":\"Reporter\",\"date-range\":{\"start-datetime\":\"2026-12-01T00:00:00Z\","
            + "\"end-datetime\":\"2026-12-01T23:59:59Z\"},\"contact-info\":\"tlsrpt@reporter.test\",\"report-id\":\"" + reportId + "\","
            + "\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":[\"version: STSv1\",\"mode: testing\","
            + "\"mx: mx." + domain + "\",\"max_age: 86400\"],\"policy-domain\":\"" + domain + "\",\"mx-host\":[\"mx." + domain + "\"]},"
            + "\"summary\":{\"total-successful-session-count\":1,\"total-failure-session-count\":0}}]}").getBytes(StandardCharsets.US_ASCII);
    }

    /** 64 MiB of zeros in about 64 KiB of gzip: far past the decompressed limit, within the body limit. */
    private static byte[] gzipBomb() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                gzip.write(zeros);
            }
        }
        return bytes.toByteArray();
    }

    /**
     * Debian's {@code mta-sts-query} (postfix-mta-sts-resolver) for {@code domain}, in a mount namespace of its own
     * whose {@code /etc/resolv.conf} names the world's DNS server and with the test CA as its trust store.
     */
    private static String mtaStsQuery(String domain) throws Exception {
        Path resolvConf = directory.resolve("resolv.conf");
        Files.writeString(resolvConf, "nameserver " + sender.world.dns().address().getHostAddress() + "\n");
        Path ca = sender.world.caFile();
        ProcessBuilder builder = new ProcessBuilder("unshare", "--mount", "sh", "-c",
            "mount --bind \"$0\" /etc/resolv.conf && exec mta-sts-query \"$1\"", resolvConf.toString(), domain)
            .redirectErrorStream(true);
        builder.environment().put("SSL_CERT_FILE", ca.toString());
        Process query = builder.start();
        query.getOutputStream().close();
        if (!query.waitFor(60, TimeUnit.SECONDS)) {
            query.destroyForcibly();
            throw new AssertionError("mta-sts-query did not end in 60 s");
        }
        String output = new String(query.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(query.exitValue()).as(output).isZero();
        return output;
    }
}

package io.github.jamesmtasts.tlsrpt.sending;

import io.github.jamesmtasts.tlsrpt.counting.PolicyCountsJson;
import io.github.jamesmtasts.tlsrpt.TlsRptResolver;
import io.github.jamesmtasts.state.FileClusterState;
import io.github.jamesmtasts.state.NodeName;
import io.github.jamesmtasts.tlsrpt.counting.Results;
import io.github.jamesmtasts.dns.DnsClient;
import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.testkit.LoopbackAddresses;
import io.github.jamesmtasts.testkit.TestDnsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The service on its own thread and the system clock, with a period of four seconds. */
class TlsReportingTest {
    private static final NodeName NODE = NodeName.of("james-a");

    @TempDir
    Path directory;

    private TestDnsServer dns;

    @BeforeEach
    void start() {
        dns = TestDnsServer.start(LoopbackAddresses.next(), 0);
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void reportsWhenThePeriodEndsAndKeepsCountsAcrossARestart() throws Exception {
        dns.txt("_smtp._tls.example.net", "v=TLSRPTv1; rua=mailto:r@example.net");
        TlsRptSettings settings = Reports.settings().period(Duration.ofSeconds(4)).maxSendDelay(Duration.ZERO).build();
        TlsRptResolver lookup = new TlsRptResolver(DnsClient.using(dns.resolver()));
        BlockingQueue<MimeMessage> mails = new LinkedBlockingQueue<>();
        ReportMailer mailer = (sender, recipient, message) -> mails.add(message);

        FileClusterState state = new FileClusterState(directory, Clock.systemUTC());
        TlsReporting first = TlsReporting.start(settings, state, NODE, lookup, mailer, (uri, type, body) -> 500);
        // Two seconds ahead: the period of the results ends at least two seconds after both are recorded.
        Instant time = Instant.now().plusSeconds(2);
        first.sink().record(Results.success(time, "example.net"));
        first.close();
        TlsReporting second = TlsReporting.start(settings, new FileClusterState(directory, Clock.systemUTC()), NODE, lookup, mailer,
            (uri, type, body) -> 500);
        second.sink().record(Results.failure(time, "example.net", ResultType.CERTIFICATE_EXPIRED));

        MimeMessage mail = mails.poll(30, TimeUnit.SECONDS);
        second.close();

        assertThat(mail).isNotNull();
        byte[] gzip = ((MimeMultipart) mail.getContent()).getBodyPart(1).getInputStream().readAllBytes();
        var summary = PolicyCountsJson.mapper().readTree(Reports.gunzip(gzip)).path("policies").path(0).path("summary");
        assertThat(summary.path("total-successful-session-count").asLong()).as("recorded before the restart").isEqualTo(1);
        assertThat(summary.path("total-failure-session-count").asLong()).as("recorded after the restart").isEqualTo(1);
        assertThat(state.periods()).isEmpty();
    }
}

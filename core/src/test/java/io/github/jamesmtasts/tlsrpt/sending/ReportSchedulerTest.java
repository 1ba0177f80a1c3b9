package io.github.jamesmtasts.tlsrpt.sending;

import io.github.jamesmtasts.tlsrpt.counting.PolicyCountsJson;
import io.github.jamesmtasts.tlsrpt.counting.ReportPeriod;
import io.github.jamesmtasts.tlsrpt.TlsRptResolver;
import io.github.jamesmtasts.tlsrpt.counting.FileResultStore;
import io.github.jamesmtasts.tlsrpt.counting.ResultAggregator;
import io.github.jamesmtasts.tlsrpt.counting.Results;
import io.github.jamesmtasts.dns.DnsClient;
import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.testkit.LoopbackAddresses;
import io.github.jamesmtasts.testkit.TestDnsServer;
import io.github.jamesmtasts.state.FileClusterState;
import io.github.jamesmtasts.state.NodeName;
import io.github.jamesmtasts.state.PublishedCounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduler on virtual time: records come from a real DNS server on loopback, mails and uploads go to
 * recording fakes (the HTTPS path against a real server is in {@code TlsRptIT}).
 */
class ReportSchedulerTest {
    private static final Duration DAY = Duration.ofDays(1);
    private static final Instant MAY_1_NOON = Instant.parse("2024-05-01T12:00:00Z");
    private static final Instant MAY_2 = Instant.parse("2024-05-02T00:00:00Z");
    private static final Duration MAX_DELAY = Duration.ofHours(4);
    private static final NodeName NODE_A = NodeName.of("james-a");
    private static final NodeName NODE_B = NodeName.of("james-b");

    @TempDir
    Path directory;

    private TestDnsServer dns;
    private TlsRptResolver lookup;
    private final VirtualTimer timer = new VirtualTimer(MAY_1_NOON);
    private final List<SentMail> mails = new ArrayList<>();
    private final List<Upload> uploads = new ArrayList<>();
    private final Deque<Object> uploadAnswers = new ArrayDeque<>();
    private FileResultStore store;
    private ResultAggregator aggregator;
    private ReportScheduler scheduler;
    private FileClusterState claimsState;

    private record SentMail(String sender, String recipient, MimeMessage message) {
    }

    private record Upload(Instant time, URI uri, String contentType, byte[] body) {
    }

    @BeforeEach
    void start() throws IOException {
        dns = TestDnsServer.start(LoopbackAddresses.next(), 0);
        lookup = new TlsRptResolver(DnsClient.using(dns.resolver()));
        claimsState = new FileClusterState(directory.resolve("cluster"), timer.clock());
    }

    /** The claims of one server: it wins every claim no other server made first. */
    private ReportClaims claimsOf(NodeName node) {
        return (period, domain) -> claimsState.claimReport(period, domain, node, Reports.settings().build().claimLease());
    }

    @AfterEach
    void stop() throws IOException {
        if (scheduler != null) {
            scheduler.close();
        }
        dns.close();
    }

    private void startScheduler(TlsRptSettings.Builder settings) throws IOException {
        TlsRptSettings built = settings.maxSendDelay(MAX_DELAY).build();
        store = new FileResultStore(directory);
        aggregator = new ResultAggregator(built.period(), store);
        scheduler = new ReportScheduler(built, aggregator, store, claimsOf(NODE_A), lookup, recordingMailer(), recordingUploader(),
            timer, new Random(7));
        scheduler.start();
    }

    private ReportMailer recordingMailer() {
        return (sender, recipient, message) -> mails.add(new SentMail(sender, recipient, message));
    }

    private ReportUploader recordingUploader() {
        return (uri, contentType, body) -> {
            uploads.add(new Upload(timer.now(), uri, contentType, body));
            Object answer = uploadAnswers.isEmpty() ? 200 : uploadAnswers.poll();
            if (answer instanceof IOException failure) {
                throw failure;
            }
            return (Integer) answer;
        };
    }

    private void startScheduler() throws IOException {
        startScheduler(Reports.settings());
    }

    private void afterTheDay() {
        timer.runUntil(MAY_2.plus(MAX_DELAY));
    }

    @Test
    void reportsEachDomainWithARecordOnceItsDayIsOver() throws Exception {
        dns.txt("_smtp._tls.example.net", "v=TLSRPTv1; rua=mailto:tlsrpt@example.net,https://127.0.0.1/report");
        startScheduler();
        aggregator.record(Results.success(MAY_1_NOON, "example.net"));
        aggregator.record(Results.failure(MAY_1_NOON, "example.net", ResultType.CERTIFICATE_EXPIRED));

        timer.runUntil(MAY_2.minusSeconds(1));
        assertThat(mails).isEmpty();
        afterTheDay();

        assertThat(mails).hasSize(1);
        SentMail mail = mails.get(0);
        assertThat(mail.sender()).isEqualTo("tlsrpt@mail.sender.example");
        assertThat(mail.recipient()).isEqualTo("tlsrpt@example.net");
        assertThat(mail.message().getHeader("TLS-Report-Domain")).containsExactly("example.net");
        assertThat(uploads).hasSize(1);
        assertThat(uploads.get(0).uri()).isEqualTo(URI.create("https://127.0.0.1/report"));
        assertThat(uploads.get(0).contentType()).isEqualTo("application/tlsrpt+gzip");
        var json = PolicyCountsJson.mapper().readTree(Reports.gunzip(uploads.get(0).body()));
        assertThat(json.path("policies").path(0).path("summary").path("total-successful-session-count").asLong()).isEqualTo(1);
        assertThat(json.path("policies").path(0).path("summary").path("total-failure-session-count").asLong()).isEqualTo(1);
        assertThat(ReportSchema.violations(json)).isEmpty();
        assertThat(store.periods()).isEmpty();
    }

    @Test
    void sendsAfterARandomDelayOfAtMostTheMaximum() throws Exception {
        dns.txt("_smtp._tls.example.net", "v=TLSRPTv1; rua=https://127.0.0.1/report");
        startScheduler();
        aggregator.record(Results.success(MAY_1_NOON, "example.net"));
        afterTheDay();

        assertThat(uploads).hasSize(1);
        assertThat(uploads.get(0).time()).isAfterOrEqualTo(MAY_2).isBefore(MAY_2.plus(MAX_DELAY));
    }

    @Test
    void dropsTheCountsOfDomainsWithoutAValidRecord() throws Exception {
        dns.txt("_smtp._tls.invalid.example", "v=TLSRPTv1; rua=ftp://invalid.example/");
        dns.txt("_smtp._tls.twice.example", "v=TLSRPTv1; rua=mailto:a@twice.example").txt("_smtp._tls.twice.example", "v=TLSRPTv1; rua=mailto:b@twice.example");
        startScheduler();
        for (String domain : List.of("none.example", "invalid.example", "twice.example")) {
            aggregator.record(Results.failure(MAY_1_NOON, domain, ResultType.STARTTLS_NOT_SUPPORTED));
        }
        afterTheDay();

        assertThat(mails).isEmpty();
        assertThat(uploads).isEmpty();
        assertThat(store.periods()).isEmpty();
    }

    @Test
    void onlyFailuresSkipsDomainsThatHadNone() throws Exception {
        dns.txt("_smtp._tls.fine.example", "v=TLSRPTv1; rua=mailto:r@fine.example");
        dns.txt("_smtp._tls.broken.example", "v=TLSRPTv1; rua=mailto:r@broken.example");
        startScheduler(Reports.settings().onlyFailures(true));
        aggregator.record(Results.success(MAY_1_NOON, "fine.example"));
        aggregator.record(Results.failure(MAY_1_NOON, "broken.example", ResultType.CERTIFICATE_NOT_TRUSTED));
        afterTheDay();

        assertThat(mails).extracting(SentMail::recipient).containsExactly("r@broken.example");
        assertThat(store.periods()).isEmpty();
    }

    @Test
    void retriesAFailingHttpsDestinationWithExponentialBackoffForADay() throws Exception {
        dns.txt("_smtp._tls.example.net", "v=TLSRPTv1; rua=https://127.0.0.1/report");
        for (int i = 0; i < 20; i++) {
            uploadAnswers.add(i % 2 == 0 ? 503 : new IOException("connection refused"));
        }
        startScheduler(Reports.settings().firstRetryDelay(Duration.ofMinutes(5)));
        aggregator.record(Results.success(MAY_1_NOON, "example.net"));
        timer.runUntil(MAY_2.plus(Duration.ofDays(3)));

        List<Duration> waits = new ArrayList<>();
        for (int i = 1; i < uploads.size(); i++) {
            waits.add(Duration.between(uploads.get(i - 1).time(), uploads.get(i).time()));
        }
        assertThat(waits).startsWith(Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(20), Duration.ofMinutes(40));
        assertThat(Duration.between(uploads.get(0).time(), uploads.get(uploads.size() - 1).time())).isLessThanOrEqualTo(Duration.ofHours(24));
        assertThat(waits.get(waits.size() - 1).multipliedBy(2).plus(Duration.between(uploads.get(0).time(), uploads.get(uploads.size() - 1).time())))
            .isGreaterThan(Duration.ofHours(24));
        assertThat(store.periods()).as("given up: counts dropped").isEmpty();
    }

    @Test
    void isDeliveredOnceOneDestinationAcceptsWhileTheOthersAreRetried() throws Exception {
        dns.txt("_smtp._tls.example.net", "v=TLSRPTv1; rua=https://127.0.0.1/a,https://127.0.0.2/b");
        uploadAnswers.addAll(List.of(500, 201, 500, 500));
        startScheduler();
        aggregator.record(Results.success(MAY_1_NOON, "example.net"));
        afterTheDay();

        assertThat(uploads).extracting(Upload::uri).startsWith(URI.create("https://127.0.0.1/a"), URI.create("https://127.0.0.2/b"));
        assertThat(store.periods()).as("delivered to b: counts removed").isEmpty();
        timer.runUntil(MAY_2.plus(Duration.ofDays(2)));
        assertThat(uploads).extracting(Upload::uri).filteredOn(uri -> uri.getPath().equals("/b")).hasSize(1);
        assertThat(uploads).extracting(Upload::uri).filteredOn(uri -> uri.getPath().equals("/a")).hasSizeGreaterThan(2);
    }

    @Test
    void retriesAMailTheMailSystemRefused() throws Exception {
        dns.txt("_smtp._tls.example.net", "v=TLSRPTv1; rua=mailto:r@example.net");
        TlsRptSettings settings = Reports.settings().maxSendDelay(Duration.ZERO).build();
        store = new FileResultStore(directory);
        aggregator = new ResultAggregator(DAY, store);
        List<Instant> attempts = new ArrayList<>();
        ReportMailer refusingOnce = (sender, recipient, message) -> {
            attempts.add(timer.now());
            if (attempts.size() == 1) {
                throw new MessagingException("spool full");
            }
        };
        scheduler = new ReportScheduler(settings, aggregator, store, claimsOf(NODE_A), lookup, refusingOnce, (u, c, b) -> 200, timer,
            new Random(1));
        scheduler.start();
        aggregator.record(Results.success(MAY_1_NOON, "example.net"));
        timer.runUntil(MAY_2.plus(Duration.ofHours(1)));

        Instant settled = MAY_2.plus(scheduler.settleDelay());
        assertThat(attempts).containsExactly(settled, settled.plus(TlsRptSettings.DEFAULT_FIRST_RETRY_DELAY));
        assertThat(store.periods()).isEmpty();
    }

    /** Conformance case rpt-set-005: a temporary DNS error keeps the results for a later try. */
    @Test
    void keepsCountsWhileTheRecordCannotBeLookedUp() throws Exception {
        dns.rcode("_smtp._tls.example.net", Type.TXT, Rcode.SERVFAIL);
        startScheduler();
        aggregator.record(Results.success(MAY_1_NOON, "example.net"));
        afterTheDay();

        assertThat(mails).isEmpty();
        assertThat(store.periods()).containsExactly(ReportPeriod.containing(MAY_1_NOON, DAY));
        dns.remove("_smtp._tls.example.net", Type.TXT).txt("_smtp._tls.example.net", "v=TLSRPTv1; rua=mailto:r@example.net");
        timer.runUntil(MAY_2.plus(Duration.ofHours(6)));

        assertThat(mails).hasSize(1);
        assertThat(store.periods()).isEmpty();
    }

    @Test
    void reportsWhatAPreviousRunLeftInTheStore() throws Exception {
        dns.txt("_smtp._tls.example.net", "v=TLSRPTv1; rua=mailto:r@example.net");
        ResultAggregator previousRun = new ResultAggregator(DAY, new FileResultStore(directory));
        previousRun.record(Results.success(Instant.parse("2024-04-30T08:00:00Z"), "example.net"));
        previousRun.persist();

        startScheduler();
        timer.runUntil(MAY_1_NOON);

        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).message().getSubject()).contains("Report Domain: example.net");
    }

    @Test
    void writesCountsRegularlyAndOnClose() throws Exception {
        startScheduler(Reports.settings().flushInterval(Duration.ofSeconds(10)));
        aggregator.record(Results.success(MAY_1_NOON, "example.net"));
        timer.runUntil(MAY_1_NOON.plusSeconds(10));
        assertThat(new FileResultStore(directory).periods()).hasSize(1);

        aggregator.record(Results.success(MAY_1_NOON, "example.net"));
        scheduler.close();
        scheduler = null;

        assertThat(new FileResultStore(directory).load(ReportPeriod.containing(MAY_1_NOON, DAY)).forDomain("example.net").get(0).successful())
            .isEqualTo(2);
    }

    @Test
    void twoServersCountingIntoOneStateSendOneReportWithTheSumOfBoth() throws Exception {
        dns.txt("_smtp._tls.example.net", "v=TLSRPTv1; rua=https://127.0.0.1/report");
        TlsRptSettings settings = Reports.settings().maxSendDelay(MAX_DELAY).build();
        ResultAggregator onA = startNode(settings, NODE_A, new Random(7));
        ResultAggregator onB = startNode(settings, NODE_B, new Random(8));
        onA.record(Results.success(MAY_1_NOON, "example.net"));
        onA.record(Results.success(MAY_1_NOON, "example.net"));
        onB.record(Results.failure(MAY_1_NOON, "example.net", ResultType.CERTIFICATE_EXPIRED));
        timer.runUntil(MAY_2.minusSeconds(1));
        // Timed in the day but counted after its end: the day is closed on B, so it counts in the next one.
        timer.runUntil(MAY_2);
        onB.record(Results.success(MAY_1_NOON, "example.net"));
        timer.runUntil(MAY_2.plus(MAX_DELAY).plus(MAX_DELAY));

        assertThat(uploads).hasSize(1);
        var summary = PolicyCountsJson.mapper().readTree(Reports.gunzip(uploads.get(0).body())).path("policies").path(0).path("summary");
        assertThat(summary.path("total-successful-session-count").asLong()).isEqualTo(2);
        assertThat(summary.path("total-failure-session-count").asLong()).isEqualTo(1);
        assertThat(claimsState.periods()).as("the late session waits in the day under way")
            .containsExactly(ReportPeriod.containing(MAY_2, DAY));
    }

    @Test
    void aReportClaimedByAServerThatStoppedIsSentByAnotherOnceTheClaimsLeaseHasPassed() throws Exception {
        dns.txt("_smtp._tls.example.net", "v=TLSRPTv1; rua=https://127.0.0.1/report");
        TlsRptSettings settings = Reports.settings().maxSendDelay(MAX_DELAY).build();
        ResultAggregator countedByA = new ResultAggregator(DAY, new PublishedCounts(claimsState, NODE_A));
        countedByA.record(Results.success(MAY_1_NOON, "example.net"));
        countedByA.persist();
        startNode(settings, NODE_B, new Random(8));
        timer.runUntil(MAY_2);
        // A claims the day's report and stops for good before it is sent.
        assertThat(claimsOf(NODE_A).claim(ReportPeriod.containing(MAY_1_NOON, DAY), "example.net")).isTrue();

        timer.runUntil(MAY_2.plus(settings.claimLease()).minusSeconds(1));
        assertThat(uploads).as("A's claim holds for its lease").isEmpty();

        timer.runUntil(MAY_2.plus(settings.claimLease()).plus(DAY).plus(MAX_DELAY).plus(MAX_DELAY));
        assertThat(uploads).hasSize(1);
        var summary = PolicyCountsJson.mapper().readTree(Reports.gunzip(uploads.get(0).body())).path("policies").path(0).path("summary");
        assertThat(summary.path("total-successful-session-count").asLong()).as("A's count, sent by B").isEqualTo(1);

        timer.runUntil(MAY_2.plus(Duration.ofDays(10)));
        assertThat(uploads).as("sent once").hasSize(1);
        assertThat(claimsState.periods()).isEmpty();
    }

    /** A server of a cluster: its own aggregator, publishing to the shared state, and its own scheduler on the shared timer. */
    private ResultAggregator startNode(TlsRptSettings settings, NodeName node, Random random) {
        PublishedCounts published = new PublishedCounts(claimsState, node);
        ResultAggregator counting = new ResultAggregator(settings.period(), published);
        new ReportScheduler(settings, counting, published, claimsOf(node), lookup, recordingMailer(), recordingUploader(), timer, random)
            .start();
        return counting;
    }
}

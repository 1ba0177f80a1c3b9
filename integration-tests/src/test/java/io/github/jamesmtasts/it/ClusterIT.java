package io.github.jamesmtasts.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.jamesmtasts.testkit.CassandraServer;
import io.github.jamesmtasts.testkit.PostfixServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static io.github.jamesmtasts.it.World.Certificate.VALID;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two James 3.8.1 servers (each its own home and ports, started by {@code run-james.sh --state cassandra://...
 * --node ...}) sharing the extension's state in one real Cassandra 5.0 (the testkit's {@link CassandraServer}):
 * the admin's switch and overrides set on one apply on the other, and the TLS-RPT sessions of both, across a
 * {@code kill -9} of one and a restart of the other, are reported once, in one report, with the sum. Both deliver
 * from one mail repository ({@code --shared-repository}): each mail once, also the mail of a node killed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    private static final Duration PERIOD = Duration.ofMinutes(3);
    /** Time left in the period for the mail, a kill and two starts. */
    private static final Duration NEEDED_IN_PERIOD = Duration.ofSeconds(150);
    /** No random delay: both nodes claim each report at the same moment, two seconds after the period. */
    private static final Duration MAX_SEND_DELAY = Duration.ZERO;
    /** conf/mta-sts.properties: state.refreshInterval's default. */
    private static final Duration REFRESH = Duration.ofSeconds(5);
    /** The counts' flush interval: what a kill -9 may lose at most. */
    private static final Duration PUBLISH_BOUND = Duration.ofSeconds(1);
    private static final String SUBMITTER = "reporter.example";
    /** How often each node looks through the delivery repository both share. */
    private static final Duration SWEEP = Duration.ofSeconds(2);

    @TempDir
    static Path directory;
    private static CassandraServer cassandra;
    private static World world;
    private static JamesProcess nodeA;
    private static JamesProcess nodeB;

    @BeforeAll
    static void start() {
        cassandra = CassandraServer.start();
        world = new World(directory);
        nodeA = node("cluster-a", "james-a").start();
        nodeB = node("cluster-b", "james-b").start();
    }

    private static JamesProcess node(String home, String name) {
        List<String> options = new ArrayList<>(world.jamesOptions());
        options.addAll(List.of("--state", "cassandra://" + cassandra.contactPoint().getAddress().getHostAddress() + ":"
                + cassandra.contactPoint().getPort(), "--node", name,
            "--tlsrpt-period", PERIOD.getSeconds() + "s", "--tlsrpt-submitter", SUBMITTER,
            "--shared-repository", directory.resolve("shared-repository").toString()));
        return Stage.james(home, options, "enforce")
            .editConf("mta-sts.properties", conf -> conf + "\ntlsrpt.maxSendDelay=" + MAX_SEND_DELAY.getSeconds() + " s\n"
                + "state.repositorySweep=" + SWEEP.getSeconds() + " s\n")
            .editConf("mailetcontainer.xml", conf -> conf.replaceFirst("<maxRetries>[^<]*</maxRetries>", "<maxRetries>30</maxRetries>"));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable each : new AutoCloseable[] {nodeA, nodeB, world, cassandra}) {
            if (each != null) {
                each.close();
            }
        }
    }

    @Test
    @Order(1)
    void theSwitchSetOnOneNodeHoldsOnTheOtherWithinTheRefreshInterval() throws Exception {
        WebAdmin a = new WebAdmin(nodeA).awaitUp();
        WebAdmin b = new WebAdmin(nodeB).awaitUp();
        assertThat(mode(b, "/mta-sts/enforcement")).isEqualTo("enforce");

        Instant set = Instant.now();
        WebAdmin.json(a.call("PUT", "/mta-sts/enforcement", "{\"mode\":\"report-only\"}"), 200);
        assertThat(mode(a, "/mta-sts/enforcement")).as("at once on the node that set it").isEqualTo("report-only");
        awaitWithinRefresh("report-only on B", () -> "report-only".equals(mode(b, "/mta-sts/enforcement")));
        System.out.println("The switch set on A held on B after " + Duration.between(set, Instant.now()));

        WebAdmin.json(b.call("PUT", "/mta-sts/enforcement", "{\"mode\":\"enforce\"}"), 200);
        awaitWithinRefresh("enforce again on A", () -> "enforce".equals(mode(a, "/mta-sts/enforcement")));
    }

    @Test
    @Order(2)
    void anOverrideSetOnBExpiresOnAAtItsExpiry() throws Exception {
        WebAdmin a = new WebAdmin(nodeA).awaitUp();
        WebAdmin b = new WebAdmin(nodeB).awaitUp();
        String domain = world.domain("override");
        JsonNode set = WebAdmin.json(b.call("PUT", "/mta-sts/overrides/" + domain, "{\"mode\":\"off\",\"ttl\":\"12s\"}"), 200);
        Instant expires = Instant.parse(set.get("expires").asText());

        awaitWithinRefresh("B's override on A", () -> status(a, "/mta-sts/overrides/" + domain) == 200);
        assertThat(WebAdmin.json(a.call("GET", "/mta-sts/overrides/" + domain, null), 200).get("expires").asText())
            .isEqualTo(expires.toString());
        while (Instant.now().isBefore(expires.minusMillis(500))) {
            assertThat(status(a, "/mta-sts/overrides/" + domain)).as("in force on A until it expires").isEqualTo(200);
            Thread.sleep(200);
        }
        while (Instant.now().isBefore(expires)) {
            Thread.sleep(20);
        }
        // Within a second of the expiry, well before A's next read of the store could have told it.
        World.until("B's override gone on A", () -> status(a, "/mta-sts/overrides/" + domain) == 404, Duration.ofSeconds(1));
        assertThat(status(b, "/mta-sts/overrides/" + domain)).isEqualTo(404);
    }

    @Test
    @Order(3)
    void sessionsOfBothNodesAcrossAKillAndARestartAreReportedOnceWithTheirSum() throws Exception {
        String reportsDomain = world.domain("reports");
        PostfixServer reportsMx = world.mx(reportsDomain, 10, "mx." + reportsDomain, VALID, "tlsrpt");
        String good = world.domain("good");
        world.publishPolicy(good, "1", "enforce", "mx." + good);
        PostfixServer goodMx = world.mx(good, 10, "mx." + good, VALID, "bob");
        world.publishTlsRpt(good, "v=TLSRPTv1; rua=mailto:tlsrpt@" + reportsDomain);
        String sender = "alice@" + world.domain("sender");

        Instant periodStart = ReportMails.awaitRoomInPeriod(PERIOD, NEEDED_IN_PERIOD);
        send(nodeA, sender, "bob@" + good, 2);
        send(nodeB, sender, "bob@" + good, 3);
        World.await(goodMx, "bob", 5);
        // Past the publication bound of B's last session, then B dies without its shutdown.
        Thread.sleep(PUBLISH_BOUND.multipliedBy(3).toMillis());
        nodeB.kill();

        nodeB.start();
        nodeA.stop();
        nodeA.start();
        send(nodeA, sender, "bob@" + good, 1);
        send(nodeB, sender, "bob@" + good, 1);
        World.await(goodMx, "bob", 7);
        assertThat(Instant.now()).as("every session fell in one period").isBefore(periodStart.plus(PERIOD));

        Instant reportDue = periodStart.plus(PERIOD).plus(MAX_SEND_DELAY);
        World.until("a report about " + good, () -> !ReportMails.about(reportsMx, "tlsrpt", good).isEmpty(),
            Duration.between(Instant.now(), reportDue).plus(Duration.ofSeconds(60)));
        JsonNode report = ReportMails.report(ReportMails.about(reportsMx, "tlsrpt", good).get(0));
        assertThat(report.at("/date-range/start-datetime").asText()).isEqualTo(periodStart.toString());
        assertThat(report.at("/policies/0/policy/policy-domain").asText()).isEqualTo(good);
        assertThat(report.at("/policies/0/summary/total-successful-session-count").asLong())
            .as("2 + 3 before the kill, 1 + 1 after the restarts").isEqualTo(7);
        assertThat(report.at("/policies/0/summary/total-failure-session-count").asLong()).isZero();
        assertThat(report.at("/policies")).hasSize(1);

        // Both nodes tried the claim: give the loser's report, if there were one, time to arrive. Then restart A.
        Thread.sleep(Duration.ofSeconds(10).toMillis());
        nodeA.stop();
        nodeA.start();
        Thread.sleep(Duration.ofSeconds(15).toMillis());
        List<String> reports = ReportMails.about(reportsMx, "tlsrpt", good);
        assertThat(reports).as("one report, sent by one node, not again after A's restart").hasSize(1);
        String delivered = "+" + good + "@" + SUBMITTER + " delivered";
        long byA = nodeA.log().lines().filter(line -> line.contains(delivered)).count();
        long byB = nodeB.log().lines().filter(line -> line.contains(delivered)).count();
        assertThat(byA + byB).as("reports about %s delivered by A and by B", good).isEqualTo(1);
        System.out.println("The report " + report.get("report-id").asText() + " was sent by node " + (byA == 1 ? "A" : "B")
            + "; the other node " + (nodeA.log().contains("is sent by another server") || nodeB.log().contains("is sent by another server")
            ? "lost the claim" : "found the counts already reported"));
    }

    @Test
    @Order(4)
    void mailDeferredByBothNodesIsDeliveredOnceEachAndTheMailOfAKilledNodeByTheOther() throws Exception {
        String later = world.domain("later");
        world.publishPolicy(later, "1", "enforce", "mx." + later);
        InetAddress address = world.deadMx(later, 10, "mx." + later);
        String sender = "alice@" + world.domain("sender");
        send(nodeA, sender, "carol@" + later, 2);
        send(nodeB, sender, "carol@" + later, 3);
        World.until("each node deferred the mails it took", () -> deferrals(nodeA, later) >= 2 && deferrals(nodeB, later) >= 3);
        // Between two attempts (a refused connection takes milliseconds, the retries come every 2 s).
        nodeB.kill();

        PostfixServer mx = world.revive(address, later, "mx." + later, VALID, "carol");
        World.await(mx, "carol", 5);
        nodeB.start();
        // A sweep of B after its start, and any retry it could make: nothing is delivered twice.
        Thread.sleep(SWEEP.multipliedBy(5).toMillis());
        assertThat(World.received(mx, "carol")).as("every mail once, B's by A while B was down").hasSize(5);
        assertThat(deliveries(nodeA, later)).as("A delivered B's mail too: B was down while the MX was up").isEqualTo(5);
        assertThat(deliveries(nodeB, later)).isZero();
    }

    private static long deliveries(JamesProcess node, String domain) {
        return node.log().lines().filter(line -> line.contains("carol@" + domain + "=delivered")).count();
    }

    private static long deferrals(JamesProcess node, String domain) {
        return node.log().lines().filter(line -> line.contains("deferred for [carol@" + domain + "]")).count();
    }

    private static void send(JamesProcess node, String sender, String recipient, int count) throws Exception {
        Submission submission = new Submission(node.smtpPort());
        for (int i = 0; i < count; i++) {
            submission.send(sender, recipient);
        }
    }

    private static void awaitWithinRefresh(String what, BooleanSupplier condition) throws InterruptedException {
        World.until(what, condition, REFRESH.plus(Duration.ofSeconds(2)));
    }

    private static String mode(WebAdmin admin, String path) {
        try {
            return WebAdmin.json(admin.call("GET", path, null), 200).get("mode").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static int status(WebAdmin admin, String path) {
        try {
            HttpResponse<String> response = admin.call("GET", path, null);
            return response.statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

package io.github.jamesmtasts.state;

import io.github.jamesmtasts.delivery.DaneMode;
import io.github.jamesmtasts.delivery.DomainOverride;
import io.github.jamesmtasts.delivery.EnforcementMode;
import io.github.jamesmtasts.policy.CachedPolicy;
import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.tlsrpt.counting.FailureGroup;
import io.github.jamesmtasts.tlsrpt.counting.PeriodCounts;
import io.github.jamesmtasts.tlsrpt.counting.PolicyCounts;
import io.github.jamesmtasts.tlsrpt.counting.PolicyScope;
import io.github.jamesmtasts.tlsrpt.counting.ReportPeriod;
import io.github.jamesmtasts.tlsrpt.counting.Results;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link ClusterState} does, seen from two nodes: each {@link #open()} is a new instance on the same
 * storage, as another James server (or the same one after a restart) would have.
 */
abstract class ClusterStateContract {
    static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOON, ZoneOffset.UTC);
    private static final ReportPeriod MAY_1 = ReportPeriod.containing(NOON, Duration.ofDays(1));
    private static final ReportPeriod MAY_2 = ReportPeriod.of(MAY_1.end(), Duration.ofDays(1));
    private static final FailureGroup EXPIRED = new FailureGroup(ResultType.CERTIFICATE_EXPIRED, "192.0.2.1",
        "mx1.example.net", "198.51.100.7", "certificate expired");
    private static final NodeName NODE_A = NodeName.of("james-a");
    private static final NodeName NODE_B = NodeName.of("james-b");
    private static final Duration HOUR = Duration.ofHours(1);

    /** A new instance, another node, on the state this test works on, with {@code clock}. */
    abstract ClusterState open(Clock clock) throws Exception;

    /** A new instance, another node, on the state this test works on, at {@link #NOON}. */
    ClusterState open() throws Exception {
        return open(CLOCK);
    }

    @Test
    void aSwitchOneNodeSetsIsWhatTheOtherReads() throws Exception {
        ClusterState a = open();
        ClusterState b = open();
        assertThat(b.enforcement()).isEqualTo(EnforcementState.empty());

        a.setGlobal(EnforcementMode.REPORT_ONLY);
        a.setDane(DaneMode.OFF);
        DomainOverride testing = DomainOverride.of(EnforcementMode.REPORT_ONLY, Optional.of(NOON.plusSeconds(3600)));
        DomainOverride forGood = DomainOverride.of(Optional.empty(), Optional.of(DaneMode.REPORT_ONLY), Optional.empty());
        a.putOverride("Example.NET.", testing);
        a.putOverride("example.org", forGood);
        a.putOverride("expired.example", DomainOverride.of(EnforcementMode.OFF, Optional.of(NOON.minusSeconds(1))));

        assertThat(b.enforcement()).isEqualTo(EnforcementState.empty()
            .withGlobal(EnforcementMode.REPORT_ONLY).withDane(DaneMode.OFF)
            .withOverride("example.net", testing).withOverride("example.org", forGood));

        assertThat(b.removeOverride("example.net")).isTrue();
        assertThat(b.removeOverride("never.example")).isFalse();
        b.setGlobal(EnforcementMode.ENFORCE);
        assertThat(a.enforcement().overrides()).containsOnlyKeys("example.org");
        assertThat(a.enforcement().global()).contains(EnforcementMode.ENFORCE);
    }

    @Test
    void theCountsOfTwoNodesAreSummedAndRepublishedTotalsAreNotCountedTwice() throws Exception {
        ClusterState a = open();
        ClusterState b = open();
        a.publishCounts(NODE_A, counts(MAY_1, "example.net", 3, 1));
        a.publishCounts(NODE_A, counts(MAY_1, "example.net", 5, 1));
        a.publishCounts(NODE_A, counts(MAY_1, "example.net", 5, 1));
        b.publishCounts(NODE_B, counts(MAY_1, "example.net", 10, 2).plus(counts(MAY_1, "example.org", 1, 0)));
        b.publishCounts(NODE_B, counts(MAY_2, "example.net", 7, 0));

        PeriodCounts may1 = open().counts(MAY_1);
        assertThat(may1.forDomain("example.net")).containsExactlyElementsOf(counts(MAY_1, "example.net", 15, 3).policies());
        assertThat(may1.forDomain("example.org")).containsExactlyElementsOf(counts(MAY_1, "example.org", 1, 0).policies());
        assertThat(a.periods()).containsExactly(MAY_1, MAY_2);
        assertThat(b.countsOf(NODE_A, MAY_1)).as("what A published, read by B").isEqualTo(counts(MAY_1, "example.net", 5, 1));
        assertThat(a.countsOf(NODE_B, MAY_2)).isEqualTo(counts(MAY_2, "example.net", 7, 0));
        assertThat(a.countsOf(NODE_A, MAY_2)).isEqualTo(PeriodCounts.empty(MAY_2));

        a.forgetCounts(MAY_1, "example.net");
        assertThat(b.counts(MAY_1).policyDomains()).containsExactly("example.org");
        assertThat(b.counts(MAY_2)).isEqualTo(counts(MAY_2, "example.net", 7, 0));
    }

    @Test
    void exactlyOneOfTwoConcurrentClaimersSendsEachReport() throws Exception {
        ClusterState a = open();
        ClusterState b = open();
        List<String> domains = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            domains.add("domain" + i + ".example");
        }
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Future<List<Boolean>> wonByA = threads.submit(claimAll(a, NODE_A, domains, start));
            Future<List<Boolean>> wonByB = threads.submit(claimAll(b, NODE_B, domains, start));
            start.countDown();
            List<Boolean> byA = wonByA.get();
            List<Boolean> byB = wonByB.get();
            for (int i = 0; i < domains.size(); i++) {
                assertThat(byA.get(i) ^ byB.get(i)).as("exactly one claim of %s won", domains.get(i)).isTrue();
                assertThat(a.claimReport(MAY_1, domains.get(i), NODE_A, HOUR)).as("a's retry").isEqualTo(byA.get(i));
                assertThat(b.claimReport(MAY_1, domains.get(i), NODE_B, HOUR)).as("b's retry").isEqualTo(byB.get(i));
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(a.claimReport(MAY_2, "domain0.example", NODE_B, HOUR)).as("another period, another claim").isTrue();
    }

    @Test
    void aRestartedNodeFindsTheStateAsItWasLeft() throws Exception {
        ClusterState before = open();
        before.setGlobal(EnforcementMode.OFF);
        before.publishCounts(NODE_A, counts(MAY_1, "example.net", 4, 2));
        assertThat(before.claimReport(MAY_1, "example.net", NODE_A, HOUR)).isTrue();

        ClusterState after = open();
        assertThat(after.enforcement().global()).contains(EnforcementMode.OFF);
        assertThat(after.counts(MAY_1)).isEqualTo(counts(MAY_1, "example.net", 4, 2));
        assertThat(after.claimReport(MAY_1, "example.net", NODE_B, HOUR)).isFalse();
    }

    @Test
    void exactlyOneOfTwoConcurrentNodesMakesEachDeliveryAttempt() throws Exception {
        ClusterState a = open();
        ClusterState b = open();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            keys.add("Mail" + i + "-" + Long.MAX_VALUE + "-@ \u00e9/..");
        }
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Future<List<Boolean>> wonByA = threads.submit(claimDeliveries(a, NODE_A, keys, start));
            Future<List<Boolean>> wonByB = threads.submit(claimDeliveries(b, NODE_B, keys, start));
            start.countDown();
            List<Boolean> byA = wonByA.get();
            List<Boolean> byB = wonByB.get();
            for (int i = 0; i < keys.size(); i++) {
                assertThat(byA.get(i) ^ byB.get(i)).as("exactly one claim of %s won", keys.get(i)).isTrue();
                assertThat(a.claimDelivery(keys.get(i), NOON, NODE_A, HOUR)).as("a's retry").isEqualTo(byA.get(i));
                assertThat(open().claimDelivery(keys.get(i), NOON, NODE_B, HOUR)).as("b's retry, restarted").isEqualTo(byB.get(i));
            }
        } finally {
            threads.shutdownNow();
        }
        boolean aWonTheFirst = a.claimDelivery(keys.get(0), NOON, NODE_A, HOUR);
        NodeName loser = aWonTheFirst ? NODE_B : NODE_A;
        assertThat(b.claimDelivery(keys.get(0), NOON.plusSeconds(300), loser, HOUR)).as("the retry due later is another attempt").isTrue();
        assertThat(b.claimDelivery(keys.get(0), NOON.plusSeconds(300), aWonTheFirst ? NODE_A : NODE_B, HOUR)).isFalse();
    }

    @Test
    void aDeliveryClaimOutlivedByItsLeaseGoesToTheNextNodeAndOnlyToOne() throws Exception {
        claimOutlivedByItsLeaseGoesToTheNextNodeAndOnlyToOne((state, node, lease) -> state.claimDelivery("m1", NOON, node, lease));
    }

    @Test
    void aReportClaimOutlivedByItsLeaseGoesToTheNextNodeAndOnlyToOne() throws Exception {
        claimOutlivedByItsLeaseGoesToTheNextNodeAndOnlyToOne((state, node, lease) -> state.claimReport(MAY_1, "example.net", node, lease));
    }

    /** One claim of three nodes: A's, then, once A's lease has passed, B's, and never A's again nor C's within B's lease. */
    private void claimOutlivedByItsLeaseGoesToTheNextNodeAndOnlyToOne(Claim claim) throws Exception {
        ClusterState a = open(Clock.systemUTC());
        ClusterState b = open(Clock.systemUTC());
        NodeName c = NodeName.of("james-c");
        Duration lease = Duration.ofSeconds(1);
        assertThat(claim.make(a, NODE_A, lease)).isTrue();
        assertThat(claim.make(b, NODE_B, lease)).as("within the lease").isFalse();

        Thread.sleep(2500);

        assertThat(claim.make(b, NODE_B, HOUR)).as("after A's lease").isTrue();
        assertThat(claim.make(a, c, lease)).as("B's claim holds for its own lease").isFalse();
        assertThat(claim.make(a, NODE_A, lease)).as("nor does A get its claim back").isFalse();
    }

    @FunctionalInterface
    private interface Claim {
        boolean make(ClusterState state, NodeName node, Duration lease) throws Exception;
    }

    private static Callable<List<Boolean>> claimDeliveries(ClusterState state, NodeName node, List<String> keys, CountDownLatch start) {
        return () -> {
            start.await();
            List<Boolean> won = new ArrayList<>();
            for (String key : keys) {
                won.add(state.claimDelivery(key, NOON, node, HOUR));
            }
            return won;
        };
    }

    private static Callable<List<Boolean>> claimAll(ClusterState state, NodeName node, List<String> domains, CountDownLatch start) {
        return () -> {
            start.await();
            List<Boolean> won = new ArrayList<>();
            for (String domain : domains) {
                won.add(state.claimReport(MAY_1, domain, node, HOUR));
            }
            return won;
        };
    }

    private static PeriodCounts counts(ReportPeriod period, String domain, long successful, long expired) {
        return PeriodCounts.of(period, List.of(new PolicyCounts(new PolicyScope(domain, Results.STS), successful,
            expired == 0 ? Map.of() : Map.of(EXPIRED, expired))));
    }

    private static CachedPolicy policy(String domain, String id, String mx, Instant fetched) {
        return CachedPolicy.restore(domain, id, "version: STSv1\nmode: enforce\nmx: " + mx + "\nmax_age: 86400\n", fetched);
    }

    @Test
    void theLaterFetchedPolicyOfADomainIsTheOneEveryNodeReads() throws Exception {
        ClusterState a = open();
        ClusterState b = open();
        CachedPolicy first = policy("example.net", "1", "mx1.example.net", NOON.minusSeconds(600));
        CachedPolicy second = policy("example.net", "2", "mx2.example.net", NOON.minusSeconds(60));
        CachedPolicy other = policy("example.org", "7", "mx.example.org", NOON.minusSeconds(30));
        CachedPolicy expired = policy("old.example", "1", "mx.old.example", NOON.minus(Duration.ofDays(2)));

        a.offerPolicy(first);
        b.offerPolicy(second);
        a.offerPolicy(first);
        a.offerPolicy(other);
        b.offerPolicy(expired);

        // RFC 8461 gives ids no order: the later fetch (second, by node B) stays, the earlier one offered again does not replace it.
        assertThat(a.policies()).containsExactlyInAnyOrder(second, other);
        assertThat(b.policies()).containsExactlyInAnyOrder(second, other);
        assertThat(open().policies()).extracting(CachedPolicy::id).containsExactlyInAnyOrder("2", "7");
    }
}

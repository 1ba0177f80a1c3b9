package io.github.jamesmtasts.tlsrpt.counting;

import io.github.jamesmtasts.result.ResultType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResultAggregatorTest {
    private static final Duration DAY = Duration.ofDays(1);
    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");
    private static final ReportPeriod MAY_1 = ReportPeriod.containing(NOON, DAY);
    private static final ReportPeriod MAY_2 = ReportPeriod.of(MAY_1.end(), DAY);

    private final InMemoryResultStore store = new InMemoryResultStore();
    private final ResultAggregator aggregator = new ResultAggregator(DAY, store);

    @Test
    void countsSuccessesAndGroupsFailuresPerDomainAndPolicy() throws IOException {
        aggregator.record(Results.success(NOON, "example.net"));
        aggregator.record(Results.success(NOON.plusSeconds(1), "example.net"));
        aggregator.record(Results.failure(NOON, "example.net", ResultType.VALIDATION_FAILURE, "mx-not-in-policy"));
        aggregator.record(Results.failure(NOON, "example.net", ResultType.VALIDATION_FAILURE, "mx-not-in-policy"));
        aggregator.record(Results.failure(NOON, "example.net", ResultType.CERTIFICATE_EXPIRED));
        aggregator.record(Results.success(NOON, "other.example"));
        aggregator.persist();

        PeriodCounts counts = store.load(MAY_1);
        assertThat(counts.policyDomains()).containsExactly("example.net", "other.example");
        PolicyCounts net = counts.forDomain("example.net").get(0);
        assertThat(net.successful()).isEqualTo(2);
        assertThat(net.totalFailures()).isEqualTo(3);
        assertThat(net.failures()).containsOnly(
            Map.entry(new FailureGroup(ResultType.VALIDATION_FAILURE, "192.0.2.1", "mx1.mail.example.net", "198.51.100.7", "mx-not-in-policy"), 2L),
            Map.entry(new FailureGroup(ResultType.CERTIFICATE_EXPIRED, "192.0.2.1", "mx1.mail.example.net", "198.51.100.7",
                "detail of certificate-expired"), 1L));
    }

    @Test
    void countsEachUtcDayApart() throws IOException {
        aggregator.record(Results.success(Instant.parse("2024-05-01T23:59:59Z"), "example.net"));
        aggregator.record(Results.success(Instant.parse("2024-05-02T00:00:00Z"), "example.net"));
        aggregator.persist();

        assertThat(store.periods()).containsExactly(MAY_1, MAY_2);
    }

    @Test
    void persistsOnlyWhatWasCountedSinceTheLastWrite() throws IOException {
        aggregator.record(Results.success(NOON, "example.net"));
        aggregator.persist();
        aggregator.persist();
        aggregator.record(Results.success(NOON, "example.net"));
        aggregator.persist();

        assertThat(store.additions()).hasSize(2);
        assertThat(store.load(MAY_1).forDomain("example.net").get(0).successful()).isEqualTo(2);
    }

    @Test
    void keepsCountsWhenTheStoreFailsAndWritesThemNextTime() throws IOException {
        aggregator.record(Results.success(NOON, "example.net"));
        store.failNext(1);
        assertThatThrownBy(aggregator::persist).isInstanceOf(IOException.class);
        aggregator.record(Results.success(NOON, "example.net"));
        aggregator.persist();

        assertThat(store.load(MAY_1).forDomain("example.net").get(0).successful()).isEqualTo(2);
    }

    @Test
    void countsLateResultsOfAClosedPeriodInTheOpenOne() throws IOException {
        aggregator.record(Results.success(NOON, "example.net"));
        aggregator.closeThrough(MAY_1.end());
        aggregator.record(Results.success(NOON, "example.net"));
        aggregator.persist();

        assertThat(store.load(MAY_1).forDomain("example.net").get(0).successful()).isEqualTo(1);
        assertThat(store.load(MAY_2).forDomain("example.net").get(0).successful()).isEqualTo(1);
    }

    @Test
    void bringsPolicyDomainsToTheirALabelForm() throws IOException {
        aggregator.record(Results.success(NOON, "☺.example"));
        aggregator.record(Results.success(NOON, "XN--74H.Example."));
        aggregator.persist();

        assertThat(store.load(MAY_1).policyDomains()).containsExactly("xn--74h.example");
        assertThat(store.load(MAY_1).forDomain("xn--74h.example").get(0).successful()).isEqualTo(2);
    }

    @Test
    void losesNoCountWhenManyThreadsRecordWhilePersisting() throws Exception {
        int threads = 4;
        int perThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                    aggregator.record(i % 4 == 0
                        ? Results.failure(NOON, "d" + thread % 2 + ".example", ResultType.STARTTLS_NOT_SUPPORTED)
                        : Results.success(NOON, "d" + thread % 2 + ".example"));
                }
                return null;
            }));
        }
        go.countDown();
        while (!done.stream().allMatch(Future::isDone)) {
            aggregator.persist();
        }
        for (Future<?> each : done) {
            each.get();
        }
        pool.shutdown();
        aggregator.persist();

        PeriodCounts counts = store.load(MAY_1);
        long successes = counts.policies().stream().mapToLong(PolicyCounts::successful).sum();
        long failures = counts.policies().stream().mapToLong(PolicyCounts::totalFailures).sum();
        assertThat(successes).isEqualTo(threads * perThread * 3L / 4);
        assertThat(failures).isEqualTo(threads * perThread / 4L);
    }
}

package io.github.jamesmtasts.tlsrpt.counting;

import io.github.jamesmtasts.result.ReportedPolicy;
import io.github.jamesmtasts.result.ResultType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class FileResultStoreTest {
    private static final Duration DAY = Duration.ofDays(1);
    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");
    private static final ReportPeriod MAY_1 = ReportPeriod.containing(NOON, DAY);
    private static final ReportPeriod MAY_2 = ReportPeriod.of(MAY_1.end(), DAY);
    private static final FailureGroup EXPIRED = new FailureGroup(ResultType.CERTIFICATE_EXPIRED, "192.0.2.1",
        "mx1.example.net", "198.51.100.7", "certificate expired");

    @TempDir
    Path directory;

    private static PeriodCounts counts(ReportPeriod period, String domain, long successful, long expired) {
        return PeriodCounts.of(period, List.of(new PolicyCounts(new PolicyScope(domain, Results.STS), successful,
            expired == 0 ? Map.of() : Map.of(EXPIRED, expired))));
    }

    @Test
    void addsUpAdditionsAndReadsThemBackExactly() throws IOException {
        FileResultStore store = new FileResultStore(directory);
        store.add(counts(MAY_1, "example.net", 3, 1));
        store.add(counts(MAY_1, "example.net", 2, 4));
        store.add(PeriodCounts.of(MAY_1, List.of(new PolicyCounts(new PolicyScope("no.example", ReportedPolicy.noPolicyFound()), 7, Map.of()))));

        PeriodCounts loaded = store.load(MAY_1);
        assertThat(loaded.forDomain("example.net")).containsExactly(counts(MAY_1, "example.net", 5, 5).policies().get(0));
        assertThat(loaded.forDomain("no.example").get(0).scope().policy()).isEqualTo(ReportedPolicy.noPolicyFound());
        assertThat(loaded.forDomain("no.example").get(0).successful()).isEqualTo(7);
    }

    @Test
    void newInstanceOverTheSameDirectoryFindsEverything() throws IOException {
        new FileResultStore(directory).add(counts(MAY_1, "example.net", 3, 1));
        new FileResultStore(directory).add(counts(MAY_2, "example.net", 1, 0));

        FileResultStore restarted = new FileResultStore(directory);
        assertThat(restarted.periods()).containsExactly(MAY_1, MAY_2);
        assertThat(restarted.load(MAY_1)).isEqualTo(counts(MAY_1, "example.net", 3, 1));
    }

    @Test
    void removesADomainAndTheFileOnceEmpty() throws IOException {
        FileResultStore store = new FileResultStore(directory);
        store.add(counts(MAY_1, "a.example", 1, 0).plus(counts(MAY_1, "b.example", 1, 0)));
        store.remove(MAY_1, "a.example");
        assertThat(store.load(MAY_1).policyDomains()).containsExactly("b.example");
        store.remove(MAY_1, "b.example");

        assertThat(store.periods()).isEmpty();
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void ignoresATemporaryFileLeftByACrash() throws IOException {
        FileResultStore store = new FileResultStore(directory);
        store.add(counts(MAY_1, "example.net", 3, 0));
        Files.writeString(directory.resolve(MAY_1.start().getEpochSecond() + "-86400.json.tmp"), "{\"policies\": [{\"pol");

        FileResultStore restarted = new FileResultStore(directory);
        assertThat(restarted.periods()).containsExactly(MAY_1);
        restarted.add(counts(MAY_1, "example.net", 1, 0));
        assertThat(restarted.load(MAY_1)).isEqualTo(counts(MAY_1, "example.net", 4, 0));
    }

    @Test
    void movesAnUnreadableFileAsideAndCountsAfresh() throws IOException {
        Path file = directory.resolve(MAY_1.start().getEpochSecond() + "-86400.json");
        Files.write(file, "not json".getBytes(StandardCharsets.UTF_8));
        FileResultStore store = new FileResultStore(directory);

        assertThat(store.load(MAY_1).isEmpty()).isTrue();
        store.add(counts(MAY_1, "example.net", 1, 0));
        assertThat(store.load(MAY_1)).isEqualTo(counts(MAY_1, "example.net", 1, 0));
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                .anyMatch(name -> name.startsWith(file.getFileName() + ".corrupt-"));
        }
    }

    @Test
    void aggregatorCountsSurviveARestartMidPeriod() throws IOException {
        ResultAggregator before = new ResultAggregator(DAY, new FileResultStore(directory));
        before.record(Results.success(NOON, "example.net"));
        before.record(Results.failure(NOON, "example.net", ResultType.CERTIFICATE_EXPIRED));
        before.persist();

        FileResultStore store = new FileResultStore(directory);
        ResultAggregator after = new ResultAggregator(DAY, store);
        after.record(Results.success(NOON.plusSeconds(3600), "example.net"));
        after.persist();

        PolicyCounts counts = store.load(MAY_1).forDomain("example.net").get(0);
        assertThat(counts.successful()).isEqualTo(2);
        assertThat(counts.totalFailures()).isEqualTo(1);
    }
}

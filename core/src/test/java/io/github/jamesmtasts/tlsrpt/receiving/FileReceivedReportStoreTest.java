package io.github.jamesmtasts.tlsrpt.receiving;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static io.github.jamesmtasts.tlsrpt.receiving.Samples.daily;
import static io.github.jamesmtasts.tlsrpt.receiving.Samples.parse;
import static io.github.jamesmtasts.tlsrpt.receiving.Samples.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileReceivedReportStoreTest {
    private static final LocalDate MAY_1 = LocalDate.parse("2024-05-01");
    private static final LocalDate MAY_2 = LocalDate.parse("2024-05-02");

    @TempDir
    Path directory;

    private static boolean add(ReceivedReportStore store, String json) throws IOException {
        return store.add(parse(json), utf8(json));
    }

    @Test
    void keepsAReportOncePerReportId() throws IOException {
        FileReceivedReportStore store = new FileReceivedReportStore(directory);
        String first = daily("Org A", "id-1", "2024-05-01", 10, 1, "example.com");

        assertThat(add(store, first)).isTrue();
        assertThat(add(store, daily("Org A", "id-1", "2024-05-01", 99, 9, "example.com"))).isFalse();

        assertThat(store.reports("example.com", MAY_1, MAY_1)).containsExactly(parse(first));
        assertThat(store.raw("id-1")).hasValueSatisfying(raw -> assertThat(raw).isEqualTo(utf8(first)));
        assertThat(store.raw("id-2")).isEmpty();
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.bytes()).isEqualTo(utf8(first).length);
    }

    @Test
    void findsAReportUnderEachOfItsDomainsInAnyCaseWithinTheDays() throws IOException {
        FileReceivedReportStore store = new FileReceivedReportStore(directory);
        add(store, daily("Org A", "both", "2024-05-01", 1, 0, "example.com", "Example.ORG"));
        add(store, daily("Org A", "later", "2024-05-02", 1, 0, "example.com"));

        assertThat(store.reports("EXAMPLE.com.", MAY_1, MAY_2)).extracting(ReceivedReport::reportId).containsExactly("both", "later");
        assertThat(store.reports("example.org", MAY_1, MAY_2)).extracting(ReceivedReport::reportId).containsExactly("both");
        assertThat(store.reports("example.com", MAY_2, MAY_2)).extracting(ReceivedReport::reportId).containsExactly("later");
        assertThat(store.reports("example.net", MAY_1, MAY_2)).isEmpty();
    }

    @Test
    void findsItsReportsAgainAfterARestart() throws IOException {
        String json = daily("Org A", "id-1", "2024-05-01", 10, 1, "example.com");
        add(new FileReceivedReportStore(directory), json);
        Files.write(directory.resolve("0123.json.tmp"), utf8("{\"half"));

        FileReceivedReportStore reopened = new FileReceivedReportStore(directory);

        assertThat(reopened.reports("example.com", MAY_1, MAY_1)).containsExactly(parse(json));
        assertThat(add(reopened, json)).isFalse();
        assertThat(reopened.bytes()).isEqualTo(utf8(json).length);
        assertThat(directory.resolve("0123.json.tmp")).doesNotExist();
    }

    @Test
    void setsAsideAFileItCannotRead() throws IOException {
        Files.write(directory.resolve("garbage.json"), utf8("{not json"));

        FileReceivedReportStore store = new FileReceivedReportStore(directory);

        assertThat(store.size()).isZero();
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(file -> file.getFileName().toString())).singleElement().asString().startsWith("garbage.json.corrupt-");
        }
    }

    @Test
    void keepsOneOfManyConcurrentAddsOfOneReportId() throws Exception {
        FileReceivedReportStore store = new FileReceivedReportStore(directory);
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> adds = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                String json = daily("Org " + i, "same-id", "2024-05-01", i, 0, "example.com");
                Callable<Boolean> add = () -> {
                    start.await();
                    return add(store, json);
                };
                adds.add(pool.submit(add));
            }
            start.countDown();
            int kept = 0;
            for (Future<Boolean> add : adds) {
                kept += add.get() ? 1 : 0;
            }
            assertThat(kept).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.reports("example.com", MAY_1, MAY_1)).hasSize(1);
        assertThat(new FileReceivedReportStore(directory).size()).isEqualTo(1);
    }

    @Test
    void refusesReportsPastItsCountUntilOldOnesAreRemoved() throws IOException {
        FileReceivedReportStore store = new FileReceivedReportStore(directory, 2, Long.MAX_VALUE);
        add(store, daily("Org A", "1", "2024-05-01", 1, 0, "example.com"));
        add(store, daily("Org A", "2", "2024-05-02", 1, 0, "example.com"));

        assertThatThrownBy(() -> add(store, daily("Org A", "3", "2024-05-03", 1, 0, "example.com")))
            .isInstanceOf(StoreFullException.class);
        assertThat(add(store, daily("Org A", "2", "2024-05-02", 1, 0, "example.com"))).as("a replay is no addition").isFalse();

        assertThat(store.removeStartedBefore(MAY_2)).isEqualTo(1);
        assertThat(add(store, daily("Org A", "3", "2024-05-03", 1, 0, "example.com"))).isTrue();
        assertThat(store.raw("1")).isEmpty();
        assertThat(new FileReceivedReportStore(directory).size()).isEqualTo(2);
    }

    @Test
    void refusesReportsPastItsBytes() throws IOException {
        String json = daily("Org A", "1", "2024-05-01", 1, 0, "example.com");
        FileReceivedReportStore store = new FileReceivedReportStore(directory, 100, utf8(json).length + 10L);
        add(store, json);

        assertThatThrownBy(() -> add(store, daily("Org A", "2", "2024-05-01", 1, 0, "example.com")))
            .isInstanceOf(StoreFullException.class).hasMessageContaining("bytes");
        assertThat(store.size()).isEqualTo(1);
    }
}

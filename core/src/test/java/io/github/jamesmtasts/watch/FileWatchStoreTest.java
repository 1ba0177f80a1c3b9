package io.github.jamesmtasts.watch;

import io.github.jamesmtasts.check.ExpiryThreshold;
import io.github.jamesmtasts.check.Finding;
import io.github.jamesmtasts.result.ResultType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link FileWatchStore}: a state saved is the state a new store over the same directory loads. */
class FileWatchStoreTest {
    @TempDir
    Path directory;

    private final DomainState state = DomainState.of("example.org", Instant.parse("2026-12-01T06:00:00Z"), List.of(
        Finding.of("txt", "_mta-sts.example.org", Finding.Status.OK, "record", "v=STSv1; id=1"),
        Finding.problem("mx", "mx.example.org", ResultType.CERTIFICATE_EXPIRED, "expired"),
        Finding.expiring("policy", "mta-sts.example.org", ExpiryThreshold.DAYS_7, "less than 7 days left")));

    @Test
    void aSavedStateSurvivesReopening() throws Exception {
        new FileWatchStore(directory).save(state);

        assertThat(new FileWatchStore(directory).load("example.org")).contains(state);
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(file -> file.getFileName().toString()).collect(Collectors.toList())).containsExactly("example.org.json");
        }
    }

    @Test
    void aNewStateReplacesTheOld() {
        FileWatchStore store = new FileWatchStore(directory);
        store.save(state);
        DomainState later = DomainState.of("example.org", Instant.parse("2026-12-02T06:00:00Z"), List.of());
        store.save(later);

        assertThat(new FileWatchStore(directory).load("example.org")).contains(later);
    }

    @Test
    void anUnknownOrUnreadableDomainHasNoState() throws Exception {
        FileWatchStore store = new FileWatchStore(directory);
        Files.writeString(directory.resolve("broken.example.json"), "{\"domain\": \"broken.example\", \"findings\": [");

        assertThat(store.load("example.org")).isEmpty();
        assertThat(store.load("broken.example")).isEmpty();
    }
}

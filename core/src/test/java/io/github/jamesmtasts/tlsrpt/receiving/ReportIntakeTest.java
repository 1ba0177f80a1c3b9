package io.github.jamesmtasts.tlsrpt.receiving;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.github.jamesmtasts.tlsrpt.receiving.Samples.GZIP;
import static io.github.jamesmtasts.tlsrpt.receiving.Samples.JSON;
import static io.github.jamesmtasts.tlsrpt.receiving.Samples.daily;
import static io.github.jamesmtasts.tlsrpt.receiving.Samples.gzip;
import static io.github.jamesmtasts.tlsrpt.receiving.Samples.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class ReportIntakeTest {
    private static final LocalDate MAY_1 = LocalDate.parse("2024-05-01");

    @TempDir
    Path directory;

    private final List<String> told = new ArrayList<>();
    private FileReceivedReportStore store;
    private ReportIntake intake;

    private final IntakeListener listener = new IntakeListener() {
        @Override
        public void accepted(ReceivedReport report) {
            told.add("accepted " + report.reportId());
        }

        @Override
        public void rejected(Reason reason) {
            told.add("rejected " + reason);
        }
    };

    @BeforeEach
    void setUp() throws IOException {
        store = new FileReceivedReportStore(directory, 3, Long.MAX_VALUE);
        intake = new ReportIntake(new ReportReader(ReportReader.Limits.of(4096, 8192)),
            Set.of("example.com", "example.org")::contains, store, listener);
    }

    @Test
    void keepsAReportOfHostedDomains() throws IOException {
        String json = daily("Org A", "id-1", "2024-05-01", 10, 2, "Example.COM", "example.org");

        IntakeResult result = intake.receive(GZIP, gzip(utf8(json)));

        assertThat(result.outcome()).isEqualTo(IntakeResult.Outcome.ACCEPTED);
        assertThat(result.isSuccess()).isTrue();
        assertThat(result.httpStatus()).isEqualTo(201);
        assertThat(result.reason()).isEmpty();
        assertThat(store.raw("id-1")).hasValueSatisfying(raw -> assertThat(raw).isEqualTo(utf8(json)));
        assertThat(store.reports("example.org", MAY_1, MAY_1)).hasSize(1);
        assertThat(told).containsExactly("accepted id-1");
    }

    @Test
    void takesAReplayAsASuccessWithoutKeepingItTwice() throws IOException {
        byte[] body = utf8(daily("Org A", "id-1", "2024-05-01", 10, 2, "example.com"));
        intake.receive(JSON, body);

        IntakeResult again = intake.receive(JSON, body);

        assertThat(again.outcome()).isEqualTo(IntakeResult.Outcome.DUPLICATE);
        assertThat(again.isSuccess()).isTrue();
        assertThat(again.httpStatus()).isEqualTo(200);
        assertThat(again.reason()).contains(Reason.DUPLICATE);
        assertThat(store.size()).isEqualTo(1);
        assertThat(told).containsExactly("accepted id-1", "rejected DUPLICATE");
    }

    @Test
    void refusesAReportWithADomainNotHostedHere() throws IOException {
        IntakeResult result = intake.receive(JSON, utf8(daily("Org A", "id-1", "2024-05-01", 1, 0, "example.com", "example.net")));

        assertThat(result.outcome()).isEqualTo(IntakeResult.Outcome.REJECTED);
        assertThat(result.reason()).contains(Reason.UNKNOWN_DOMAIN);
        assertThat(result.rejection().map(Rejection::detail)).hasValueSatisfying(detail -> assertThat(detail).contains("example.net"));
        assertThat(result.httpStatus()).isEqualTo(400);
        assertThat(store.size()).isZero();
    }

    @Test
    void answersEachRefusalWithItsStatus() {
        assertThat(intake.receive("text/plain", utf8("{}")).httpStatus()).isEqualTo(415);
        assertThat(intake.receive(JSON, new byte[5000]).httpStatus()).isEqualTo(413);
        assertThat(intake.receive(GZIP, gzip(new byte[9000])).httpStatus()).isEqualTo(413);
        assertThat(intake.receive(GZIP, utf8("{}")).httpStatus()).isEqualTo(400);
        assertThat(intake.receive(JSON, utf8("{")).httpStatus()).isEqualTo(400);
        assertThat(intake.receive(JSON, utf8("{}")).httpStatus()).isEqualTo(400);
        assertThat(told).containsExactly("rejected UNSUPPORTED_MEDIA_TYPE", "rejected TOO_LARGE", "rejected DECOMPRESSED_TOO_LARGE",
            "rejected NOT_GZIP", "rejected INVALID_JSON", "rejected SCHEMA_VIOLATION");
    }

    @Test
    void asksTheSenderToComeBackWhenTheStoreIsFull() {
        for (int i = 0; i < 3; i++) {
            intake.receive(JSON, utf8(daily("Org A", "id-" + i, "2024-05-01", 1, 0, "example.com")));
        }

        IntakeResult full = intake.receive(JSON, utf8(daily("Org A", "id-4", "2024-05-01", 1, 0, "example.com")));

        assertThat(full.reason()).contains(Reason.STORE_FULL);
        assertThat(full.httpStatus()).isEqualTo(503);
        assertThat(intake.receive(JSON, utf8(daily("Org A", "id-0", "2024-05-01", 1, 0, "example.com"))).httpStatus())
            .as("a replay is still a success").isEqualTo(200);
    }

    @Test
    void asksTheSenderToComeBackWhenTheStoreFails() {
        ReceivedReportStore failing = new ReceivedReportStore() {
            @Override
            public boolean add(ReceivedReport report, byte[] json) throws IOException {
                throw new IOException("disk on fire");
            }

            @Override
            public List<ReceivedReport> reports(String policyDomain, LocalDate fromUtc, LocalDate toUtc) {
                return List.of();
            }

            @Override
            public Optional<byte[]> raw(String reportId) {
                return Optional.empty();
            }
        };
        ReportIntake failingIntake = new ReportIntake(new ReportReader(), domain -> true, failing, IntakeListener.NONE);

        IntakeResult result = failingIntake.receive(JSON, utf8(daily("Org A", "id-1", "2024-05-01", 1, 0, "example.com")));

        assertThat(result.reason()).contains(Reason.STORE_ERROR);
        assertThat(result.httpStatus()).isEqualTo(503);
    }

    @Test
    void aFailingListenerChangesNothingForTheSender() {
        IntakeListener throwing = new IntakeListener() {
            @Override
            public void accepted(ReceivedReport report) {
                throw new IllegalStateException("metrics down");
            }

            @Override
            public void rejected(Reason reason) {
                throw new IllegalStateException("metrics down");
            }
        };
        ReportIntake withThrowingListener = new ReportIntake(new ReportReader(), domain -> true, store, throwing);

        assertThat(withThrowingListener.receive(JSON, utf8(daily("Org A", "id-1", "2024-05-01", 1, 0, "example.com"))).httpStatus())
            .isEqualTo(201);
        assertThat(withThrowingListener.receive(JSON, utf8("x")).httpStatus()).isEqualTo(400);
    }

    @Test
    void countsEachOutcome() {
        byte[] body = utf8(daily("Org A", "id-1", "2024-05-01", 1, 0, "example.com"));
        intake.receive(JSON, body);
        intake.receive(JSON, body);
        intake.receive(JSON, utf8("x"));
        intake.receive("text/html", body);

        assertThat(intake.counts()).contains(entry("accepted", 1L), entry("duplicate", 1L), entry("rejected", 2L),
            entry("rejected.INVALID_JSON", 1L), entry("rejected.UNSUPPORTED_MEDIA_TYPE", 1L), entry("rejected.TOO_LARGE", 0L))
            .doesNotContainKey("rejected.DUPLICATE");
    }
}

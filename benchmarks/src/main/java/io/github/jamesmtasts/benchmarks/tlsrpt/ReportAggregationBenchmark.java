package io.github.jamesmtasts.benchmarks.tlsrpt;

import io.github.jamesmtasts.result.Failure;
import io.github.jamesmtasts.result.ReportedPolicy;
import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.result.SessionResult;
import io.github.jamesmtasts.tlsrpt.counting.FileResultStore;
import io.github.jamesmtasts.tlsrpt.counting.PeriodCounts;
import io.github.jamesmtasts.tlsrpt.sending.ReportJson;
import io.github.jamesmtasts.tlsrpt.counting.ReportPeriod;
import io.github.jamesmtasts.tlsrpt.counting.ResultAggregator;
import io.github.jamesmtasts.tlsrpt.sending.TlsReport;
import io.github.jamesmtasts.tlsrpt.sending.TlsRptSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One day's TLS-RPT report from a million session results (RFC 8460 §4): each invocation counts 1,000,000
 * results (90% successes; failures of five result types; 20 MX hosts; 3 policy domains) into a fresh
 * {@link ResultAggregator} over a file store, writes the counts, and makes the gzip JSON report of each domain.
 * The score is the time per result.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class ReportAggregationBenchmark {
    private static final int RESULTS = 1_000_000;
    private static final Duration DAY = Duration.ofDays(1);
    private static final Instant NOON = Instant.parse("2026-11-22T12:00:00Z");
    private static final String[] DOMAINS = {"a.example", "b.example", "c.example"};
    private static final ResultType[] FAILURES = {ResultType.STARTTLS_NOT_SUPPORTED, ResultType.CERTIFICATE_HOST_MISMATCH,
        ResultType.CERTIFICATE_EXPIRED, ResultType.CERTIFICATE_NOT_TRUSTED, ResultType.VALIDATION_FAILURE};

    private final List<SessionResult> results = new ArrayList<>(RESULTS);
    private Path directory;

    @Setup(Level.Trial)
    public void results() throws IOException {
        directory = Files.createTempDirectory("tlsrpt-bench");
        ReportedPolicy sts = ReportedPolicy.sts(List.of("version: STSv1", "mode: enforce", "mx: *.example", "max_age: 86400"),
            List.of("*.example"));
        for (int i = 0; i < RESULTS; i++) {
            SessionResult.Builder result = SessionResult.builder().time(NOON.plusMillis(i)).policyDomain(DOMAINS[i % 3])
                .policy(i % 3 == 2 ? ReportedPolicy.noPolicyFound() : sts).sendingMtaIp("192.0.2.1")
                .receivingMxHostname("mx" + (i % 20) + ".example").receivingIp("198.51.100." + (i % 20));
            if (i % 10 == 0) {
                ResultType type = FAILURES[(i / 10) % FAILURES.length];
                result.failure(Failure.of(type, "failed", type.code()));
            }
            results.add(result.build());
        }
    }

    @Benchmark
    @OperationsPerInvocation(RESULTS)
    public int aggregateAMillionIntoOneDaysReports() throws IOException {
        FileResultStore store = new FileResultStore(Files.createTempDirectory(directory, "store"));
        ResultAggregator aggregator = new ResultAggregator(DAY, store);
        for (SessionResult result : results) {
            aggregator.record(result);
        }
        aggregator.persist();
        PeriodCounts day = store.load(ReportPeriod.containing(NOON, DAY));
        TlsRptSettings settings = TlsRptSettings.builder("reporter.example").build();
        int bytes = 0;
        for (String domain : day.policyDomains()) {
            bytes += ReportJson.gzip(TlsReport.of(settings, day, domain, "bench")).length;
        }
        return bytes;
    }
}

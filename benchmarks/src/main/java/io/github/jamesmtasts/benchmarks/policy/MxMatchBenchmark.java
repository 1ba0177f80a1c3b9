package io.github.jamesmtasts.benchmarks.policy;

import io.github.jamesmtasts.mtasts.Policy;
import io.github.jamesmtasts.mtasts.PolicyParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * RFC 8461 §4.1 MX matching of a policy with one and with ten {@code mx} patterns: an exact match, a
 * wildcard match (the last pattern) and a miss, with a host name in another case and a trailing dot.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class MxMatchBenchmark {
    @Param({"1", "10"})
    public int patterns;

    private Policy policy;

    @Setup
    public void parse() {
        StringBuilder text = new StringBuilder("version: STSv1\r\nmode: enforce\r\nmax_age: 86400\r\n");
        for (int i = 1; i < patterns; i++) {
            text.append("mx: mx").append(i).append(".example.com\r\n");
        }
        text.append("mx: *.mail.example.com\r\n");
        policy = PolicyParser.parse(text.toString()).value().orElseThrow();
    }

    @Benchmark
    public boolean exact() {
        return policy.matchesMx(patterns > 1 ? "MX1.Example.COM." : "a.mail.example.com");
    }

    @Benchmark
    public boolean wildcard() {
        return policy.matchesMx("Inbound-7.MAIL.example.com.");
    }

    @Benchmark
    public boolean miss() {
        return policy.matchesMx("a.b.mail.example.com");
    }
}

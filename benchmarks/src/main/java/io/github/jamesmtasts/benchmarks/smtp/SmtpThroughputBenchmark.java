package io.github.jamesmtasts.benchmarks.smtp;

import io.github.jamesmtasts.smtp.GeneratedContent;
import io.github.jamesmtasts.smtp.Envelope;
import io.github.jamesmtasts.smtp.MxTarget;
import io.github.jamesmtasts.smtp.NettySmtpSender;
import io.github.jamesmtasts.smtp.SessionOutcome;
import io.github.jamesmtasts.smtp.TlsStance;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Messages per second, one after the other, to one MX under the verified stance (STARTTLS, PKIX and
 * host name checks): with connection reuse ({@code maxMessagesPerConnection = 20}: one TLS
 * handshake per 20 messages, {@code RSET} between) and without ({@code 1}: connect, EHLO, STARTTLS,
 * handshake, EHLO and QUIT for every message).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(1)
public class SmtpThroughputBenchmark {
    private static final Envelope ENVELOPE = new Envelope("sender@client.bench.test", List.of(PostfixMx.RECIPIENT), false);
    private static final GeneratedContent MESSAGE = new GeneratedContent(4 * 1024);

    @Param({"20", "1"})
    public int maxMessagesPerConnection;

    private PostfixMx mx;
    private MxTarget target;
    private NettySmtpSender sender;

    @Setup(Level.Trial)
    public void start() {
        mx = new PostfixMx();
        target = mx.target();
        sender = new NettySmtpSender(mx.settings(maxMessagesPerConnection));
    }

    @TearDown(Level.Trial)
    public void stop() {
        sender.close();
        mx.close();
    }

    @Benchmark
    public SessionOutcome sendOneMessage() {
        SessionOutcome outcome = sender.send(target, TlsStance.VERIFIED, ENVELOPE, MESSAGE).join();
        if (outcome.kind() != SessionOutcome.Kind.COMPLETED) {
            throw new IllegalStateException("not delivered: " + outcome + "\n" + outcome.transcript());
        }
        return outcome;
    }
}

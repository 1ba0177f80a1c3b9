package io.github.jamesmtasts.benchmarks.smtp;

import io.github.jamesmtasts.smtp.GeneratedContent;
import io.github.jamesmtasts.smtp.Envelope;
import io.github.jamesmtasts.smtp.MxTarget;
import io.github.jamesmtasts.smtp.NettySmtpSender;
import io.github.jamesmtasts.smtp.SessionOutcome;
import io.github.jamesmtasts.smtp.TlsStance;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sends one 50 MB message over TLS, in a JVM whose heap is capped at 32 MB: that it completes at
 * all shows the message is streamed, not copied into the heap. Two counters come with the time:
 * {@code baselineHeapMb}, the heap in use after a GC just before the send, and {@code peakHeapMb},
 * the largest heap in use during the send (the sum of the heap pools' peaks, garbage included).
 * JMH adds such counters up over iterations, hence one measured iteration.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx32m")
public class LargeMessageHeapBenchmark {
    private static final long MESSAGE_SIZE = 50L * 1024 * 1024;
    private static final Envelope ENVELOPE = new Envelope("sender@client.bench.test", List.of(PostfixMx.RECIPIENT), false);

    private PostfixMx mx;
    private MxTarget target;
    private NettySmtpSender sender;

    /** The peak heap of the last send, reported by JMH next to the time. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Heap {
        public double baselineHeapMb;
        public double peakHeapMb;

        @Setup(Level.Invocation)
        public void resetPeaks() {
            System.gc();
            heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
            baselineHeapMb = megabytes(heapPools().stream().mapToLong(pool -> pool.getUsage().getUsed()).sum());
        }

        void record() {
            peakHeapMb = megabytes(heapPools().stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum());
        }

        private static double megabytes(long bytes) {
            return bytes / (1024.0 * 1024.0);
        }

        private static List<MemoryPoolMXBean> heapPools() {
            return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP).toList();
        }
    }

    @Setup(Level.Trial)
    public void start() {
        mx = new PostfixMx();
        target = mx.target();
        sender = new NettySmtpSender(mx.settings(1));
    }

    @TearDown(Level.Trial)
    public void stop() {
        sender.close();
        mx.close();
    }

    @Benchmark
    public SessionOutcome send50MegabyteMessage(Heap heap) {
        SessionOutcome outcome = sender.send(target, TlsStance.VERIFIED, ENVELOPE, new GeneratedContent(MESSAGE_SIZE)).join();
        heap.record();
        if (outcome.kind() != SessionOutcome.Kind.COMPLETED) {
            throw new IllegalStateException("not delivered: " + outcome + "\n" + outcome.transcript());
        }
        return outcome;
    }
}

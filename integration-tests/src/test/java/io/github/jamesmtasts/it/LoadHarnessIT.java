package io.github.jamesmtasts.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jamesmtasts.testkit.LoopbackAddresses;
import io.github.jamesmtasts.testkit.MtaStsResolverDaemon;
import io.github.jamesmtasts.testkit.MxServer;
import io.github.jamesmtasts.testkit.PostfixServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.mail.Message;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load harness of the README (section "Load harness"): for each message size and each way of delivering,
 * one real James 3.8.1 memory server, one loopback MX sink with STARTTLS (the testkit's {@link MxServer}, a
 * test-CA certificate), N messages injected over SMTP on several connections, and the time until the sink has
 * accepted them all. Beside it: the James process's CPU time, its peak heap (the largest heap in use before a
 * collection, from the GC log) and retained heap (after a full collection once all is delivered), the SMTP
 * connections the sink saw and the DNS queries answered. The ways: James's stock {@code RemoteDelivery} with
 * {@code startTLS=true}; {@code MtaStsRemoteDelivery} to a domain without a policy; and to a domain with an
 * {@code enforce} policy (full certificate verification); and, for comparison, no James at all but Debian's
 * Postfix with Debian's postfix-mta-sts-resolver ({@code mta-sts-daemon}) as its {@code smtp_tls_policy_maps},
 * to the same {@code enforce} domain. Ratios are against the first variant of the run with the same size, mode
 * and sink delay.
 *
 * <p>{@code load.replyDelay} (a list, e.g. {@code 0ms,20ms}) makes the sink wait that long before each of its
 * replies, as a network's round trip would; each delay is a run of its own for every variant. Over the timed
 * part, the sink's arrival times give the deliveries of each full second: the median second, the worst, and the
 * longest stretch below a quarter of the median.
 *
 * <p>Each runs in two modes ({@link Mode}): delivering while James takes the messages in (the end-to-end rate,
 * timed from the first message injected), and holding them all in a mail repository first, then releasing them
 * to delivery through WebAdmin (the rate of delivery alone, timed from the release; CPU, peak heap, SMTP
 * connections and DNS queries are then those of the drain). The drain follows {@code load.warmup} untimed
 * messages delivered through the same path, so that it times a warm delivery path rather than its first
 * compilation. On a small machine James's SMTP receiving shares the CPUs with delivery in the first mode; the
 * second shows what the delivery itself costs.
 *
 * <p>Its defaults are 10,000 messages of 2 KB and of 100 KB, through all four variants and both modes:
 * {@code mvn -B verify -pl integration-tests -am -Pload}.
 * In a plain {@code mvn verify} the build runs it small ({@code load.messages=40}, 2 KB) to prove it works. Each
 * {@code load.*} property can be set on the command line.
 */
class LoadHarnessIT {
    private static final int MESSAGES = Integer.getInteger("load.messages", 10_000);
    private static final List<Integer> SIZES = Arrays.stream(System.getProperty("load.sizes", "2048,102400").split(","))
        .map(String::trim).map(Integer::valueOf).collect(Collectors.toList());
    private static final int CONNECTIONS = Integer.getInteger("load.connections", 8);
    /**
     * How many times the whole set of runs is made; every second round takes the variants in reverse order, so
     * that a drift of the machine over time does not favour one variant.
     */
    private static final int ROUNDS = Integer.getInteger("load.rounds", 1);
    /** Mode {@link Mode#DRAIN}: messages delivered through the same path before the timed ones, untimed. */
    private static final int WARMUP = Integer.getInteger("load.warmup", 1_000);
    /**
     * Mode {@link Mode#CONCURRENT}: messages delivered before the timed ones, untimed (default none: the timed part
     * starts on a fresh server, its first compilation and look-ups included); the same for every variant.
     */
    private static final int CONCURRENT_WARMUP = Integer.getInteger("load.concurrentWarmup", 0);
    private static final List<Variant> VARIANTS = Arrays.stream(System.getProperty("load.variants",
        "STOCK_REMOTE_DELIVERY,NO_POLICY,ENFORCE,POSTFIX_MTA_STS")
        .split(",")).map(String::trim).map(Variant::valueOf).collect(Collectors.toList());
    private static final List<Mode> MODES = Arrays.stream(System.getProperty("load.modes", "CONCURRENT,DRAIN")
        .split(",")).map(String::trim).map(Mode::valueOf).collect(Collectors.toList());
    /** More options for the James JVM, for example a flight recording ({@code -XX:StartFlightRecording=...}). */
    private static final String JVM_OPTIONS = System.getProperty("load.jvmOptions", "");
    /** Durations of {@code load.replyDelay}: {@code 20ms}, {@code 0}, {@code 1s}; declared before their use. */
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s)?");
    /** The sink's delay before each reply, one run per value: {@code 0ms,20ms}. */
    private static final List<Duration> REPLY_DELAYS = Arrays.stream(System.getProperty("load.replyDelay", "0ms").split(","))
        .map(String::trim).filter(value -> !value.isEmpty()).map(LoadHarnessIT::duration).collect(Collectors.toList());
    /**
     * Whether the sink offers CHUNKING (RFC 3030), as Postfix, Exchange and Gmail MX hosts do (the issue's aiosmtpd
     * sink does not): the extension's mailet then sends a small message as one BDAT chunk behind its envelope.
     */
    private static final boolean CHUNKING = Boolean.getBoolean("load.chunking");
    private static final Pattern GC_BEFORE = Pattern.compile("\\) (\\d+)M->\\d+M\\(");
    private static final Pattern FULL_GC_AFTER = Pattern.compile("Pause Full \\(Diagnostic Command\\) \\d+M->(\\d+)M\\(");
    private static final long CLOCK_TICKS_PER_SECOND = 100;
    private static final Pattern DELIVERY_MAILET = Pattern.compile(
        "(?s)<mailet match=\"All\" class=\"(?:io\\.github\\.jamesmtasts\\.james\\.MtaStsRemoteDelivery|RemoteDelivery)\">.*?</mailet>");
    private static final String HELD = "memory://var/mail/load-held/";
    private static final String DELIVER = "load-deliver";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A way of delivering outbound mail. */
    enum Variant {
        /**
         * James's {@code RemoteDelivery}, {@code startTLS=true}, {@code deliveryThreads} 4 (which, in James 3.8.1, bounds
         * nothing: its deliveries run on Reactor's bounded elastic scheduler, up to 256 at once; the extension's mailet
         * accepts the parameter and ignores it too, holding no thread per delivery).
         */
        STOCK_REMOTE_DELIVERY("RemoteDelivery startTLS=true"),
        /** The same with the 10 delivery threads of James's sample {@code mailetcontainer.xml}, as shipped. */
        STOCK_SHIPPED("RemoteDelivery startTLS=true, 10 threads"),
        NO_POLICY("MtaStsRemoteDelivery, no policy"),
        ENFORCE("MtaStsRemoteDelivery, enforce policy"),

        /**
         * Debian's Postfix, no James: messages injected into its smtpd, relayed by its smtp client (defaults of
         * Postfix 3.7: {@code default_destination_concurrency_limit} 20, no TLS connection reuse), the TLS policy
         * from Debian's {@code mta-sts-daemon} ({@code socketmap}), {@code secure match=...} under the
         * {@code enforce} policy. In mode {@link Mode#DRAIN} the timed messages wait in Postfix's hold queue (an access
         * table's {@code HOLD} for their recipient) and are released by {@code postsuper -H ALL} and {@code postqueue -f}.
         */
        POSTFIX_MTA_STS("Postfix + mta-sts-daemon, enforce policy");

        final String label;

        Variant(String label) {
            this.label = label;
        }

        boolean stock() {
            return this == STOCK_REMOTE_DELIVERY || this == STOCK_SHIPPED;
        }
    }

    /** When delivery runs against injection. */
    enum Mode {
        /** Delivery runs while James takes the messages in: the end-to-end rate, from the first message injected. */
        CONCURRENT("while injected"),
        /**
         * The messages are all held in a mail repository first, then released to the delivery processor through
         * WebAdmin (reprocess): the rate of delivery alone, from the release, without James's SMTP receiving beside it,
         * after {@link #WARMUP} messages delivered untimed.
         */
        DRAIN("held, then drained");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    /** What one run measured. */
    static final class Measurement {
        final int round;
        final Variant variant;
        final Mode mode;
        final int size;
        final Duration replyDelay;
        final double seconds;
        /** The CPU time of the MTA: the James JVM, or Postfix's processes and mta-sts-daemon. */
        final double cpuSeconds;
        /** Of {@link #cpuSeconds}, mta-sts-daemon's (Postfix only; 0 otherwise). */
        final double resolverCpuSeconds;
        /** Postfix only (else -1): the TLS connections its log says were verified ("Verified TLS connection"). */
        final int verifiedConnections;
        /** Deliveries at the sink in each full second of the timed part, and the questions the DNS server was asked most. */
        String details = "";
        final SecondRates rates;
        final long peakHeapMb;
        final long retainedHeapMb;
        final int smtpConnections;
        final int dnsQueries;

        Measurement(int round, Variant variant, Mode mode, int size, Duration replyDelay, double seconds, double cpuSeconds,
                    double resolverCpuSeconds, int verifiedConnections, SecondRates rates, long peakHeapMb, long retainedHeapMb, int smtpConnections,
                    int dnsQueries) {
            this.round = round;
            this.variant = variant;
            this.mode = mode;
            this.size = size;
            this.replyDelay = replyDelay;
            this.seconds = seconds;
            this.cpuSeconds = cpuSeconds;
            this.resolverCpuSeconds = resolverCpuSeconds;
            this.verifiedConnections = verifiedConnections;
            this.rates = rates;
            this.peakHeapMb = peakHeapMb;
            this.retainedHeapMb = retainedHeapMb;
            this.smtpConnections = smtpConnections;
            this.dnsQueries = dnsQueries;
        }

        double perSecond() {
            return MESSAGES / seconds;
        }

        double cpuMillisPerMessage() {
            return 1000 * cpuSeconds / MESSAGES;
        }

        boolean sameRunAs(Measurement other) {
            return round == other.round && mode == other.mode && size == other.size && replyDelay.equals(other.replyDelay);
        }
    }

    /**
     * Deliveries per full second at the sink over the timed part (from its start to the last message accepted; a
     * last partial second is left out): the median second, the worst, and the longest run of consecutive seconds
     * below a quarter of the median. Empty when the timed part lasted less than two full seconds.
     */
    static final class SecondRates {
        final int fullSeconds;
        final int[] perSecond;
        final double median;
        final int worst;
        final int longestBelowQuarter;

        private SecondRates(int fullSeconds, int[] perSecond, double median, int worst, int longestBelowQuarter) {
            this.fullSeconds = fullSeconds;
            this.perSecond = perSecond;
            this.median = median;
            this.worst = worst;
            this.longestBelowQuarter = longestBelowQuarter;
        }

        static SecondRates of(List<MxServer.Received> received, long beginNanos) {
            long last = received.stream().mapToLong(MxServer.Received::arrivalNanos).max().orElse(beginNanos);
            int fullSeconds = (int) ((last - beginNanos) / 1_000_000_000L);
            if (fullSeconds < 2) {
                return new SecondRates(fullSeconds, new int[0], Double.NaN, -1, -1);
            }
            int[] perSecond = new int[fullSeconds];
            for (MxServer.Received message : received) {
                long second = (message.arrivalNanos() - beginNanos) / 1_000_000_000L;
                if (message.arrivalNanos() >= beginNanos && second < fullSeconds) {
                    perSecond[(int) second]++;
                }
            }
            double median = median(Arrays.stream(perSecond).mapToObj(count -> (double) count).collect(Collectors.toList()));
            int worst = Arrays.stream(perSecond).min().orElseThrow();
            int longest = 0;
            int current = 0;
            for (int count : perSecond) {
                current = count < median / 4 ? current + 1 : 0;
                longest = Math.max(longest, current);
            }
            return new SecondRates(fullSeconds, perSecond, median, worst, longest);
        }

        boolean measured() {
            return fullSeconds >= 2;
        }
    }

    @TempDir
    Path directory;

    @Test
    void measuresEachWayOfDeliveringAgainstStockRemoteDelivery() throws Exception {
        List<Measurement> measurements = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            List<Variant> order = new ArrayList<>(VARIANTS);
            if (round % 2 == 0) {
                Collections.reverse(order);
            }
            for (Duration replyDelay : REPLY_DELAYS) {
                for (Mode mode : MODES) {
                    for (int size : SIZES) {
                        for (Variant variant : order) {
                            long started = System.nanoTime();
                            Measurement measurement = run(round, variant, mode, size, replyDelay);
                            measurements.add(measurement);
                            System.out.printf("load harness: %s, %s, %d bytes, sink delay %dms: %.1f s in all, start and stop included%n",
                                variant, mode, size, replyDelay.toMillis(), (System.nanoTime() - started) / 1e9);
                        }
                    }
                }
            }
        }
        StringBuilder table = new StringBuilder(String.format("%nLoad harness: %d messages per run, %d SMTP connections, %d round(s);"
            + " untimed warm-up messages before the timed ones: %d while injected, %d held then drained; the sink %s CHUNKING%n",
            MESSAGES, CONNECTIONS, ROUNDS, CONCURRENT_WARMUP, WARMUP, CHUNKING ? "offers" : "does not offer"));
        table.append(String.format("%5s %-41s %-18s %8s %6s %8s %8s %8s %8s %10s %6s %9s %8s %8s %9s %7s%n", "round", "variant",
            "mode", "size", "delay", "msg/s", "vs base", "med 1s", "worst 1s", "<1/4 med s", "CPU s", "CPU ms/m", "peak MB",
            "ret. MB", "MX conns", "DNS qs"));
        for (Measurement measurement : measurements) {
            // The baseline is the first variant named for the run (same round, size, mode and delay) that ran in it.
            Measurement baseline = VARIANTS.stream().flatMap(variant -> measurements.stream()
                    .filter(other -> other.variant == variant && other.sameRunAs(measurement)))
                .findFirst().orElseThrow();
            SecondRates rates = measurement.rates;
            table.append(String.format("%5d %-41s %-18s %8d %6s %8.1f %8.2f %8s %8s %10s %6.1f %9.2f %8s %8s %9d %7d%n",
                measurement.round, measurement.variant.label, measurement.mode.label, measurement.size,
                measurement.replyDelay.toMillis() + "ms", measurement.perSecond(), measurement.perSecond() / baseline.perSecond(),
                rates.measured() ? String.format("%.1f", rates.median) : "-", rates.measured() ? String.valueOf(rates.worst) : "-",
                rates.measured() ? String.valueOf(rates.longestBelowQuarter) : "-",
                measurement.cpuSeconds, measurement.cpuMillisPerMessage(),
                measurement.peakHeapMb < 0 ? "-" : String.valueOf(measurement.peakHeapMb),
                measurement.retainedHeapMb < 0 ? "-" : String.valueOf(measurement.retainedHeapMb), measurement.smtpConnections,
                measurement.dnsQueries));
        }
        table.append("CPU s: the James JVM's user + system time (/proc/PID/stat); for Postfix, the user + system time of its master\n"
            + "and all its processes, those that ended during the run included (cutime/cstime), plus mta-sts-daemon's.\n");
        for (Measurement measurement : measurements) {
            table.append(String.format("%s, %s, %d bytes, sink delay %dms: %s%n", measurement.variant, measurement.mode,
                measurement.size, measurement.replyDelay.toMillis(), measurement.details));
        }
        table.append(resolverCpu(measurements));
        table.append(enforcementCost(measurements));
        table.append(ratios(measurements));
        System.out.println(table);
        Files.writeString(Path.of("target", "load-harness.txt"), table.toString());
        assertThat(measurements).allSatisfy(measurement -> assertThat(measurement.seconds).isPositive());
    }

    /** Of the Postfix runs' CPU, how much was mta-sts-daemon's. */
    private static String resolverCpu(List<Measurement> measurements) {
        return measurements.stream().filter(measurement -> measurement.variant == Variant.POSTFIX_MTA_STS)
            .map(measurement -> String.format("Postfix run, %s, %d bytes, %dms: %.1f s CPU, of which mta-sts-daemon %.2f s; "
                    + "%d TLS connections verified (Postfix's log) of %d the sink accepted%n",
                measurement.mode.label, measurement.size, measurement.replyDelay.toMillis(), measurement.cpuSeconds, measurement.resolverCpuSeconds,
                measurement.verifiedConnections, measurement.smtpConnections))
            .collect(Collectors.joining());
    }

    /**
     * Issue 19's ratios, one line per run (round, mode, size, sink delay): {@code enforce} through the mailet against
     * Postfix with mta-sts-daemon and against stock RemoteDelivery, in messages per second and in CPU per message.
     */
    private static String ratios(List<Measurement> measurements) {
        List<List<Variant>> pairs = List.of(List.of(Variant.ENFORCE, Variant.POSTFIX_MTA_STS),
            List.of(Variant.ENFORCE, Variant.STOCK_SHIPPED), List.of(Variant.ENFORCE, Variant.STOCK_REMOTE_DELIVERY));
        StringBuilder ratios = new StringBuilder();
        for (Measurement enforce : measurements) {
            for (List<Variant> pair : pairs) {
                if (enforce.variant != pair.get(0)) {
                    continue;
                }
                measurements.stream().filter(each -> each.variant == pair.get(1) && each.sameRunAs(enforce)).findFirst()
                    .ifPresent(against -> ratios.append(String.format(
                        "%s vs %s, %d bytes, %s, sink delay %dms, round %d: %.2f x the msg/s (%.1f vs %.1f), "
                            + "%.2f x the CPU per message (%.2f vs %.2f ms)%n",
                        enforce.variant, against.variant, enforce.size, enforce.mode.label, enforce.replyDelay.toMillis(), enforce.round,
                        enforce.perSecond() / against.perSecond(), enforce.perSecond(), against.perSecond(),
                        enforce.cpuMillisPerMessage() / against.cpuMillisPerMessage(), enforce.cpuMillisPerMessage(),
                        against.cpuMillisPerMessage())));
            }
        }
        return ratios.toString();
    }

    /**
     * The goal of issue 8, one line per size and mode: how much fewer messages per second the {@code enforce}
     * policy delivers than the same mailet to a domain without a policy (negative: enforce was the faster), in
     * each round, and their median.
     */
    private static String enforcementCost(List<Measurement> measurements) {
        StringBuilder cost = new StringBuilder();
        for (Duration replyDelay : REPLY_DELAYS) {
            for (Mode mode : MODES) {
                for (int size : SIZES) {
                    List<Double> costs = new ArrayList<>();
                    for (Measurement enforce : measurements) {
                        if (enforce.variant == Variant.ENFORCE && enforce.mode == mode && enforce.size == size
                            && enforce.replyDelay.equals(replyDelay)) {
                            measurements.stream().filter(other -> other.variant == Variant.NO_POLICY && other.sameRunAs(enforce))
                                .findFirst().ifPresent(none -> costs.add(100 * (1 - enforce.perSecond() / none.perSecond())));
                        }
                    }
                    if (!costs.isEmpty()) {
                        cost.append(String.format("enforcement cost, %d bytes, %s, sink delay %dms: median %+.1f%% of rounds %s%n", size,
                            mode.label, replyDelay.toMillis(), median(costs),
                            costs.stream().map(each -> String.format("%+.1f%%", each)).collect(Collectors.joining(" "))));
                    }
                }
            }
        }
        return cost.toString();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().collect(Collectors.toList());
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private Measurement run(int round, Variant variant, Mode mode, int size, Duration replyDelay) throws Exception {
        String run = variant.name().toLowerCase() + "-" + mode.name().toLowerCase() + "-" + size + "-" + replyDelay.toMillis()
            + "ms" + (ROUNDS > 1 ? "-" + round : "");
        try (World world = new World(Files.createDirectories(directory.resolve(run)))) {
            // Records and negative answers with a 5-minute TTL, as real zones have, rather than the tests' TTL 0
            // that makes every use ask.
            world.dns().ttl(Duration.ofMinutes(5)).negativeTtl(Duration.ofMinutes(5));
            String domain = world.domain("sink");
            if (variant == Variant.ENFORCE || variant == Variant.POSTFIX_MTA_STS) {
                world.publishPolicy(domain, "1", "enforce", "mx." + domain);
            }
            MxServer sink = world.scriptedMx(domain, 10, "mx." + domain, options -> options.size(200L * 1024 * 1024).replyDelay(replyDelay).chunking(CHUNKING));
            if (variant == Variant.POSTFIX_MTA_STS) {
                return runPostfix(round, mode, size, replyDelay, world, sink, domain);
            }
            JamesProcess james = JamesProcess.create("load-" + run, world.jamesOptions());
            if (variant.stock()) {
                int threads = variant == Variant.STOCK_SHIPPED ? 10 : 4;
                james.editConf("mailetcontainer.xml", conf -> stockRemoteDelivery(conf, threads));
            }
            String warmupRecipient = "warmup@" + domain;
            if (mode == Mode.DRAIN) {
                james.editConf("mailetcontainer.xml", conf -> heldUntilReleased(conf, warmupRecipient));
            }
            Path gcLog = james.home().resolve("logs/gc.log");
            String stock = !variant.stock() ? "" : stockJvmOptions(world, sink, "mx." + domain);
            james.environment("JAVA_OPTS", "-Xlog:gc:file=" + gcLog + stock + " " + JVM_OPTIONS);
            try (JamesProcess started = james.start()) {
                int warmup = mode == Mode.DRAIN ? WARMUP : CONCURRENT_WARMUP;
                if (warmup > 0) {
                    inject("127.0.0.1", started.smtpPort(), warmupRecipient, size, warmup);
                    sink.awaitMessages(warmup, Duration.ofSeconds(120).plusMillis(50L * warmup));
                }
                long gcLogBefore = Files.size(gcLog);
                long cpuBefore = cpuTicks(started.pid());
                int dnsBefore = world.dns().queries();
                Map<String, Integer> questionsBefore = world.dns().queryCounts();
                int connectionsBefore = sink.connections();
                long begin = System.nanoTime();
                inject("127.0.0.1", started.smtpPort(), "bob@" + domain, size, MESSAGES);
                if (mode == Mode.DRAIN) {
                    awaitHeld(started);
                    gcLogBefore = Files.size(gcLog);
                    cpuBefore = cpuTicks(started.pid());
                    dnsBefore = world.dns().queries();
                    questionsBefore = world.dns().queryCounts();
                    connectionsBefore = sink.connections();
                    begin = System.nanoTime();
                    release(started);
                }
                List<MxServer.Received> received = sink.awaitMessages(warmup + MESSAGES,
                    Duration.ofSeconds(120).plusMillis(50L * MESSAGES));
                double seconds = (System.nanoTime() - begin) / 1e9;
                assertThat(received).as("every message reached the sink over TLS").allMatch(MxServer.Received::tls);
                double cpuSeconds = (cpuTicks(started.pid()) - cpuBefore) / (double) CLOCK_TICKS_PER_SECOND;
                long peakHeapMb = peakHeapMb(gcLog, gcLogBefore);
                SecondRates rates = SecondRates.of(received.subList(warmup, received.size()), begin);
                Measurement measurement = new Measurement(round, variant, mode, size, replyDelay, seconds, cpuSeconds, 0, -1, rates,
                    peakHeapMb, retainedHeapMb(started.pid(), gcLog),
                    sink.connections() - connectionsBefore, world.dns().queries() - dnsBefore);
                measurement.details = details(rates, questionsBefore, world.dns().queryCounts());
                return measurement;
            }
        }
    }

    /**
     * Variant {@link Variant#POSTFIX_MTA_STS}: a sending Postfix on a loopback address, in a mount namespace whose
     * {@code /etc/resolv.conf} names the world's DNS server (its smtp client finds the sink by the domain's MX record),
     * trusting the test CA ({@code smtp_tls_CAfile}), its TLS policy from mta-sts-daemon (the same namespace trick,
     * {@code SSL_CERT_FILE} the test CA). The messages go into Postfix's smtpd as they go into James's; timed from the
     * first one injected until the sink has them all. Every TLS connection Postfix made must have been verified.
     */
    private Measurement runPostfix(int round, Mode mode, int size, Duration replyDelay, World world, MxServer sink,
                                   String domain) throws Exception {
        assertThat(PostfixServer.isInstalled() && MtaStsResolverDaemon.isInstalled())
            .as("variant POSTFIX_MTA_STS needs the postfix and postfix-mta-sts-resolver packages (.ci/install-deps)").isTrue();
        Path home = Files.createDirectories(directory.resolve("postfix-" + mode.name().toLowerCase(Locale.ROOT) + "-" + size + "-"
            + replyDelay.toMillis() + "ms-" + round));
        String recipient = "bob@" + domain;
        String warmupRecipient = "warmup@" + domain;
        // Postfix's daemons (user postfix) must reach their directories inside.
        for (Path each : List.of(directory, home)) {
            Files.setPosixFilePermissions(each, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path resolvConf = Files.writeString(home.resolve("resolv.conf"),
            "nameserver " + world.dns().address().getHostAddress() + "\n");
        try (MtaStsResolverDaemon resolver = MtaStsResolverDaemon.start(home.resolve("mta-sts-daemon"), LoopbackAddresses.next(),
                8461, resolvConf, world.caFile());
             PostfixServer postfix = PostfixServer.builder(Files.createDirectories(home.resolve("postfix")), LoopbackAddresses.next())
                 .hostname("postfix.load.test").domain("postfix.load.test").relay().resolvConf(resolvConf)
                 .messageSizeLimit(200L * 1024 * 1024)
                 .mainCf("smtp_tls_policy_maps = " + resolver.socketmap("postfix"),
                     "smtp_tls_CAfile = " + world.caFile(),
                     "smtp_tls_loglevel = 1",
                     // Mode DRAIN: the timed messages wait in the hold queue until released; the warm-up ones go on.
                     mode == Mode.DRAIN ? "smtpd_recipient_restrictions = check_recipient_access inline:{ " + recipient + "=HOLD }"
                         : "# mode CONCURRENT: nothing held")
                 .start()) {
            int warmup = mode == Mode.DRAIN ? WARMUP : CONCURRENT_WARMUP;
            if (warmup > 0) {
                inject(postfix.address().getHostAddress(), 25, warmupRecipient, size, warmup);
                sink.awaitMessages(warmup, Duration.ofSeconds(120).plusMillis(50L * warmup));
            }
            long cpuBefore = treeCpuTicks(postfix.masterPid());
            long resolverBefore = processCpuTicks(resolver.pid());
            int dnsBefore = world.dns().queries();
            Map<String, Integer> questionsBefore = world.dns().queryCounts();
            int connectionsBefore = sink.connections();
            int verifiedBefore = verifiedConnections(postfix.log(), domain);
            long begin = System.nanoTime();
            inject(postfix.address().getHostAddress(), 25, recipient, size, MESSAGES);
            if (mode == Mode.DRAIN) {
                World.until(MESSAGES + " messages in Postfix's hold queue", () -> postfix.heldMessages() >= MESSAGES,
                    Duration.ofSeconds(60).plusMillis(20L * MESSAGES));
                cpuBefore = treeCpuTicks(postfix.masterPid());
                resolverBefore = processCpuTicks(resolver.pid());
                dnsBefore = world.dns().queries();
                questionsBefore = world.dns().queryCounts();
                connectionsBefore = sink.connections();
                verifiedBefore = verifiedConnections(postfix.log(), domain);
                begin = System.nanoTime();
                postfix.releaseHeld();
            }
            List<MxServer.Received> received;
            try {
                received = sink.awaitMessages(warmup + MESSAGES, Duration.ofSeconds(120).plusMillis(50L * MESSAGES));
            } catch (AssertionError e) {
                throw new AssertionError(sink.received().size() + " of " + MESSAGES + " at the sink; Postfix log:\n"
                    + tail(postfix.log()) + "\nmta-sts-daemon log:\n" + tail(resolver.log()), e);
            }
            double seconds = (System.nanoTime() - begin) / 1e9;
            double resolverCpu = (processCpuTicks(resolver.pid()) - resolverBefore) / (double) CLOCK_TICKS_PER_SECOND;
            double cpuSeconds = (treeCpuTicks(postfix.masterPid()) - cpuBefore) / (double) CLOCK_TICKS_PER_SECOND + resolverCpu;
            assertThat(received).as("every message reached the sink over TLS").allMatch(MxServer.Received::tls);
            String log = postfix.log();
            assertThat(log).as("Postfix verified the sink's certificate under the policy of mta-sts-daemon")
                .contains("Verified TLS connection established to mx." + domain)
                .doesNotContain("Untrusted TLS connection").doesNotContain("Trusted TLS connection");
            int verified = verifiedConnections(log, domain) - verifiedBefore;
            SecondRates rates = SecondRates.of(received.subList(warmup, received.size()), begin);
            Measurement measurement = new Measurement(round, Variant.POSTFIX_MTA_STS, mode, size, replyDelay, seconds,
                cpuSeconds, resolverCpu, verified, rates, -1, -1, sink.connections() - connectionsBefore,
                world.dns().queries() - dnsBefore);
            measurement.details = details(rates, questionsBefore, world.dns().queryCounts());
            return measurement;
        }
    }

    /** The deliveries of each full second, and the five questions asked most in the timed part, with their counts. */
    private static String details(SecondRates rates, Map<String, Integer> questionsBefore, Map<String, Integer> questionsAfter) {
        String seconds = Arrays.stream(rates.perSecond).mapToObj(String::valueOf).collect(Collectors.joining(" "));
        String questions = questionsAfter.entrySet().stream()
            .map(entry -> Map.entry(entry.getKey(), entry.getValue() - questionsBefore.getOrDefault(entry.getKey(), 0)))
            .filter(entry -> entry.getValue() > 0)
            .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(5)
            .map(entry -> entry.getKey() + " x" + entry.getValue()).collect(Collectors.joining(", "));
        return "per second [" + seconds + "]; DNS most asked: " + (questions.isEmpty() ? "none" : questions);
    }

    /** The lines of Postfix's log that say it verified the sink's certificate. */
    private static int verifiedConnections(String log, String domain) {
        return (int) log.lines().filter(line -> line.contains("Verified TLS connection established to mx." + domain)).count();
    }

    private static String tail(String log) {
        return log.length() <= 20_000 ? log : log.substring(log.length() - 20_000);
    }

    /**
     * The CPU time of a process and every process below it, in clock ticks: user, system and the children it has
     * waited for ({@code /proc/PID/stat} fields 14 to 17) of each. Postfix's master waits for the daemons that end, so
     * their time stays counted in its {@code cutime}/{@code cstime} once they are gone.
     */
    private static long treeCpuTicks(long pid) throws IOException {
        ProcessHandle root = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid));
        long ticks = 0;
        for (ProcessHandle process : (Iterable<ProcessHandle>) Stream.concat(Stream.of(root), root.descendants())::iterator) {
            try {
                ticks += processCpuTicks(process.pid());
            } catch (IOException e) {
                // ended between the listing and the reading: its time is in its parent's cutime/cstime by now
            }
        }
        return ticks;
    }

    /** User, system and waited-for children's CPU time of one process, in clock ticks (fields 14 to 17). */
    private static long processCpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    }

    /** {@code 20ms}, {@code 0}, {@code 1s}. */
    private static Duration duration(String text) {
        Matcher matcher = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("load.replyDelay: not a duration like 20ms: " + text);
        }
        long amount = Long.parseLong(matcher.group(1));
        return "s".equals(matcher.group(2)) ? Duration.ofSeconds(amount) : Duration.ofMillis(amount);
    }

    /**
     * Holds outbound mail (mode {@link Mode#DRAIN}): the relay processor stores each mail in {@link #HELD} instead
     * of delivering it, and the delivery mailet moves to a processor of its own, {@link #DELIVER}, that nothing
     * reaches until the harness reprocesses the held mail into it. Mail to {@code warmupRecipient} goes to that
     * processor at once: it warms the delivery path (its classes loaded, its code compiled, the policy cached,
     * the connections opened) before the timed drain, as a long-running server's is.
     */
    private static String heldUntilReleased(String conf, String warmupRecipient) {
        Matcher delivery = DELIVERY_MAILET.matcher(conf);
        assertThat(delivery.find()).as("a delivery mailet in mailetcontainer.xml").isTrue();
        String held = conf.substring(0, delivery.start())
            + "<mailet match=\"RecipientIs=" + warmupRecipient + "\" class=\"ToProcessor\"><processor>" + DELIVER
            + "</processor></mailet>"
            + "<mailet match=\"All\" class=\"ToRepository\"><repositoryPath>" + HELD + "</repositoryPath></mailet>"
            + conf.substring(delivery.end());
        return held.replace("</processors>", "<processor state=\"" + DELIVER + "\" enableJmx=\"false\">" + delivery.group()
            + "</processor>\n</processors>");
    }

    /** Waits until every injected message is in the held repository (WebAdmin's repository size). */
    private static void awaitHeld(JamesProcess james) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).plusMillis(20L * MESSAGES).toNanos();
        int held = 0;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = webAdmin(james, "GET", "");
            assertThat(response.statusCode()).as("GET the held repository: " + response.body()).isEqualTo(200);
            held = JSON.readTree(response.body()).path("size").asInt();
            if (held >= MESSAGES) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(held + " of " + MESSAGES + " messages held before the deadline");
    }

    /** Releases the held mail to the delivery processor: WebAdmin's reprocessing of a mail repository, into the spool. */
    private static void release(JamesProcess james) throws Exception {
        HttpResponse<String> response = webAdmin(james, "PATCH", "/mails?action=reprocess&queue=spool&processor=" + DELIVER);
        assertThat(response.statusCode()).as("reprocess the held repository: " + response.body()).isEqualTo(201);
    }

    private static HttpResponse<String> webAdmin(JamesProcess james, String method, String path) throws Exception {
        String repository = URLEncoder.encode(HELD.substring("memory://".length()), StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(james.webAdmin() + "/mailRepositories/" + repository + path))
            .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * What stock RemoteDelivery needs from the JVM to reach the sink the way it reaches a real MX. With
     * {@code startTLS} (set here) and {@code verifyServerIdentity} (its default) it connects by host name, so javax.mail
     * resolves the MX name with the JVM's resolver: a hosts file ({@code jdk.net.hosts.file}) holds the sink's
     * name (and the machine's own, which James looks up at start), as the loopback DNS server does for the extension. It trusts through the JVM's trust store, so the
     * sink's test CA goes there; the sink's name is then checked against its certificate.
     */
    private String stockJvmOptions(World world, MxServer sink, String host) throws IOException {
        // James resolves its own name at start: the machine's name (from the kernel, no lookup) goes in as loopback.
        String machine = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        Path hosts = Files.writeString(directory.resolve("hosts-" + host),
            "127.0.0.1 localhost " + machine + "\n" + sink.address().getHostAddress() + " " + host + "\n");
        return " -Djdk.net.hosts.file=" + hosts
            + " -Djavax.net.ssl.trustStore=" + world.trustStore() + " -Djavax.net.ssl.trustStorePassword=changeit"
            + " -Djavax.net.ssl.trustStoreType=PKCS12";
    }

    /** James's stock RemoteDelivery in place of the extension's mailet, with STARTTLS and {@code threads} delivery threads. */
    private static String stockRemoteDelivery(String conf, int threads) {
        return conf.replaceFirst("(?s)<mailet match=\"All\" class=\"io.github.jamesmtasts.james.MtaStsRemoteDelivery\">.*?</mailet>",
            "<mailet match=\"All\" class=\"RemoteDelivery\">"
                + "<outgoing>outgoing-stock</outgoing><delayTime>5000, 100000</delayTime><maxRetries>2</maxRetries>"
                + "<maxDnsProblemRetries>0</maxDnsProblemRetries><deliveryThreads>" + threads + "</deliveryThreads>"
                + "<sendpartial>true</sendpartial><bounceProcessor>bounces</bounceProcessor><startTLS>true</startTLS>"
                + "</mailet>");
    }

    /** Sends {@code count} messages over {@link #CONNECTIONS} SMTP connections to James, each carrying its share. */
    private static void inject(String host, int port, String recipient, int size, int count) throws Exception {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", host);
        properties.put("mail.smtp.port", String.valueOf(port));
        properties.put("mail.smtp.localhost", "load.test");
        Session session = Session.getInstance(properties);
        String body = "x".repeat(76) + "\r\n";
        String text = body.repeat(Math.max(1, size / body.length()));
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            List<Future<?>> senders = new ArrayList<>();
            for (int connection = 0; connection < CONNECTIONS; connection++) {
                int share = count / CONNECTIONS + (connection < count % CONNECTIONS ? 1 : 0);
                senders.add(pool.submit(() -> {
                    try (Transport transport = session.getTransport("smtp")) {
                        transport.connect();
                        for (int i = 0; i < share; i++) {
                            MimeMessage message = new MimeMessage(session);
                            message.setFrom(new InternetAddress("alice@load.test"));
                            message.addRecipient(Message.RecipientType.TO, new InternetAddress(recipient));
                            message.setSubject("load " + i);
                            message.setText(text);
                            message.saveChanges();
                            transport.sendMessage(message, message.getAllRecipients());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> sender : senders) {
                sender.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** User and system CPU time of a process so far, in clock ticks ({@code /proc/PID/stat} fields 14 and 15). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * The heap still in use once every message is delivered: a full collection asked of the James JVM
     * ({@code jcmd PID GC.run}) leaves only what is still referenced, so a message kept after its delivery shows here.
     * What is left, class by class, goes to {@code logs/heap-histogram.txt} in the server's home.
     */
    private static long retainedHeapMb(long pid, Path gcLog) throws IOException, InterruptedException {
        jcmd(pid, ProcessBuilder.Redirect.DISCARD, "GC.run");
        jcmd(pid, ProcessBuilder.Redirect.to(gcLog.resolveSibling("heap-histogram.txt").toFile()), "GC.class_histogram");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher matcher = FULL_GC_AFTER.matcher(Files.readString(gcLog));
            long retained = -1;
            while (matcher.find()) {
                retained = Long.parseLong(matcher.group(1));
            }
            if (retained >= 0) {
                return retained;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no full collection logged in " + gcLog);
    }

    private static void jcmd(long pid, ProcessBuilder.Redirect output, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true)
            .redirectOutput(output).start();
        assertThat(process.waitFor()).as("jcmd " + command).isZero();
    }

    /**
     * The largest heap in use before a collection, from the JVM's GC log ({@code -Xlog:gc}), counting the
     * collections logged from byte {@code from} on (mode {@link Mode#DRAIN}: those of the drain).
     */
    private static long peakHeapMb(Path gcLog, long from) {
        try {
            // The GC log is ASCII: a byte offset is a character offset.
            String log = Files.readString(gcLog);
            Matcher matcher = GC_BEFORE.matcher(log.substring((int) Math.min(from, log.length())));
            long peak = 0;
            while (matcher.find()) {
                peak = Math.max(peak, Long.parseLong(matcher.group(1)));
            }
            return peak;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

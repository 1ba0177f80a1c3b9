package io.github.jamesmtasts.benchmarks.policy;

import io.github.jamesmtasts.delivery.EnforcementMode;
import io.github.jamesmtasts.delivery.MxPlan;
import io.github.jamesmtasts.delivery.PolicyApplication;
import io.github.jamesmtasts.delivery.TlsRequirement;
import io.github.jamesmtasts.dns.DnsClient;
import io.github.jamesmtasts.dns.MxHost;
import io.github.jamesmtasts.assembly.Clients;
import io.github.jamesmtasts.https.HttpsSettings;
import io.github.jamesmtasts.policy.FetchTimer;
import io.github.jamesmtasts.policy.FilePolicyStore;
import io.github.jamesmtasts.policy.PolicyEngine;
import io.github.jamesmtasts.policy.PolicyFetcher;
import io.github.jamesmtasts.policy.PolicyLookup;
import io.github.jamesmtasts.policy.PolicySettings;
import io.github.jamesmtasts.testkit.LoopbackAddresses;
import io.github.jamesmtasts.testkit.PolicyHost;
import io.github.jamesmtasts.testkit.TestCa;
import io.github.jamesmtasts.testkit.TestDnsServer;
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

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What MTA-STS adds to each domain delivery once the policy is cached (RFC 8461 §5.1): the engine's decision
 * ({@link PolicyEngine#resolve}, which reuses its answer while the TXT record's TTL lasts), and the whole
 * decision a delivery makes, with how the policy applies and the plan of two MX hosts. The policy comes once
 * from a real HTTPS policy host on loopback, through a DNS server on loopback.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class PolicyDecisionBenchmark {
    private static final String DOMAIN = "bench.test";
    private static final List<MxHost> MX = List.of(new MxHost("mx1.bench.test", 10), new MxHost("mx2.bench.test", 20));

    private TestDnsServer dns;
    private PolicyHost host;
    private Clients clients;
    private PolicyEngine engine;
    private Path directory;

    @Setup(Level.Trial)
    public void start() throws IOException {
        directory = Files.createTempDirectory("policy-bench");
        TestCa ca = TestCa.create("policy benchmark CA");
        dns = TestDnsServer.start(LoopbackAddresses.next()).ttl(Duration.ofHours(1));
        InetAddress address = LoopbackAddresses.next();
        host = PolicyHost.start(address, ca.issue("mta-sts." + DOMAIN));
        host.respond(PolicyFetcher.WELL_KNOWN_PATH,
            PolicyHost.policy("version: STSv1\r\nmode: enforce\r\nmx: mx1.bench.test\r\nmx: *.bench.test\r\nmax_age: 86400\r\n"));
        dns.a("mta-sts." + DOMAIN, address.getHostAddress());
        dns.txt("_mta-sts." + DOMAIN, "v=STSv1; id=1;");
        PolicySettings settings = PolicySettings.builder().storeDirectory(directory.resolve("store")).build();
        DnsClient client = DnsClient.using(dns.resolver());
        clients = Clients.start(client, Optional.of(ca.writePem(directory.resolve("ca.pem"))),
            HttpsSettings.builder().allowPrivateAddresses(true).build());
        engine = PolicyEngine.start(client, clients.policyFetcher(settings, FetchTimer.none()),
            new FilePolicyStore(settings.storeDirectory()), settings);
        if (engine.resolve(DOMAIN).join().policy().isEmpty()) {
            throw new IllegalStateException("the policy was not fetched");
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        engine.close();
        clients.close();
        host.close();
        dns.close();
    }

    /** The engine's answer for a domain whose policy and record are cached. */
    @Benchmark
    public PolicyLookup cachedLookup() {
        return engine.resolve(DOMAIN).join();
    }

    /** The whole decision of a delivery: the look-up, how the policy applies, and the plan of the MX hosts. */
    @Benchmark
    public MxPlan decisionAndMxPlan() {
        PolicyLookup lookup = engine.resolve(DOMAIN).join();
        PolicyApplication application = PolicyApplication.decide(Optional.of(lookup), EnforcementMode.ENFORCE, TlsRequirement.DEFAULT);
        return MxPlan.of(application, MX);
    }
}

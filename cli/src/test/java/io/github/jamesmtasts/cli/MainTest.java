package io.github.jamesmtasts.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jamesmtasts.mtasts.PolicyParser;
import io.github.jamesmtasts.mtasts.StsRecord;
import io.github.jamesmtasts.testkit.LoopbackAddresses;
import io.github.jamesmtasts.testkit.MxServer;
import io.github.jamesmtasts.testkit.PolicyHost;
import io.github.jamesmtasts.testkit.TestCa;
import io.github.jamesmtasts.testkit.TestDnsServer;
import io.github.jamesmtasts.tlsrpt.TlsRptRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mta-sts check} and {@code generate} run in-process against servers on loopback: a DNS server, HTTPS
 * policy hosts on port 443 and SMTP servers on port 25, with certificates from a test CA made here.
 */
class MainTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path directory;

    private final TestCa ca = TestCa.create("mta-sts cli test CA");
    private final List<AutoCloseable> servers = new ArrayList<>();
    private TestDnsServer dns;
    private Path caFile;
    private String domain;
    private String out;
    private String err;

    @BeforeEach
    void start() {
        dns = TestDnsServer.start(LoopbackAddresses.next());
        caFile = ca.writePem(directory.resolve("ca.pem"));
        domain = "d" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36) + ".test";
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable server : servers) {
            server.close();
        }
        dns.close();
    }

    @Test
    void aGoodDomainPassesInTextAndJson() throws Exception {
        publishPolicy("enforce", "mx." + domain);
        mx("mx." + domain, 10, options -> options);
        dns.txt("_smtp._tls." + domain, "v=TLSRPTv1; rua=mailto:tlsrpt@" + domain);

        assertThat(check()).isZero();
        assertThat(out).contains("v=STSv1; id=1").contains("mode enforce").contains("STARTTLS with a valid certificate")
            .contains("reports to").contains("would deliver");

        assertThat(check("--json")).isZero();
        JsonNode json = new ObjectMapper().readTree(out);
        assertThat(json.get("deliverable").asBoolean()).isTrue();
        assertThat(steps(json)).containsExactly("txt", "policy", "mx", "dane", "tlsrpt");
        // The DNS server here signs nothing: DANE does not apply, which is information, not a problem.
        assertThat(statuses(json)).containsExactly("ok", "ok", "ok", "info", "ok");
    }

    @Test
    void aWrongNameCertificateUnderEnforceFails() throws Exception {
        publishPolicy("enforce", "mx." + domain);
        mx("mx." + domain, 10, options -> options.certificate(ca.issue("other." + domain)));

        assertThat(check("--json")).isEqualTo(Main.NOT_OK);
        assertThat(resultTypes(new ObjectMapper().readTree(out))).contains("certificate-host-mismatch");
    }

    @Test
    void noStartTlsUnderEnforceFails() throws Exception {
        publishPolicy("enforce", "mx." + domain);
        mx("mx." + domain, 10, options -> options.advertiseStartTls(false));

        assertThat(check("--json")).isEqualTo(Main.NOT_OK);
        assertThat(resultTypes(new ObjectMapper().readTree(out))).contains("starttls-not-supported");
    }

    @Test
    void anMxOutsideThePolicyIsNamedAndAListedOneStillDelivers() throws Exception {
        publishPolicy("enforce", "mx." + domain);
        mx("rogue." + domain, 5, options -> options);
        mx("mx." + domain, 10, options -> options);

        assertThat(check()).isZero();
        assertThat(out).contains("rogue." + domain + ": not covered by the policy's mx patterns [validation-failure]");
    }

    @Test
    void onlyUncoveredMxHostsUnderEnforceFail() throws Exception {
        publishPolicy("enforce", "mx." + domain);
        mx("rogue." + domain, 5, options -> options);

        assertThat(check()).isEqualTo(Main.NOT_OK);
    }

    @Test
    void anInvalidRecordMeansNoPolicyAndOpportunisticDelivery() throws Exception {
        dns.txt("_mta-sts." + domain, "v=STSv1; id=not_valid!;");
        mx("mx." + domain, 10, options -> options);

        assertThat(check()).isZero();
        assertThat(out).contains("no MTA-STS policy").contains("no TLS-RPT reports");
    }

    @Test
    void aCertificateCloseToItsEndIsAWarning() throws Exception {
        publishPolicy("enforce", "mx." + domain);
        Instant now = Instant.now();
        mx("mx." + domain, 10, options -> options.certificate(ca.issue(now.minus(Duration.ofDays(80)), now.plus(Duration.ofDays(5)), "mx." + domain)));

        assertThat(run(Clock.systemUTC(), "check", domain, "--dns", dnsAddress(), "--ca-file", caFile.toString(),
            "--allow-private-addresses")).isZero();
        assertThat(out).containsPattern("WARNING +mx +mx\\.[^ ]+: STARTTLS with a valid certificate, certificate valid until .* \\([45] days\\)");
    }

    @Test
    void usageErrorsExitWith2() {
        assertThat(run("check")).isEqualTo(Main.USAGE);
        assertThat(run("check", "a.example", "--bogus")).isEqualTo(Main.USAGE);
        assertThat(run("check", "a.example", "--dns")).isEqualTo(Main.USAGE);
        assertThat(run("check", "a.example", "--dns", "not-an-ip")).isEqualTo(Main.USAGE);
        assertThat(run("check", "a.example", "--dns", dnsAddress(), "--timeout", "soon")).isEqualTo(Main.USAGE);
        assertThat(run("generate", "a.example")).isEqualTo(Main.USAGE);
        assertThat(run("generate", "a.example", "--mx", "192.0.2.1")).isEqualTo(Main.USAGE);
        assertThat(run("generate", "a.example", "--mx", "mx.a.example", "--max-age", "99999999999")).isEqualTo(Main.USAGE);
        assertThat(run("generate", "a.example", "--mx", "mx.a.example", "--rua", "ftp://x")).isEqualTo(Main.USAGE);
        assertThat(run("frobnicate")).isEqualTo(Main.USAGE);
        assertThat(err).contains("usage: mta-sts check");
    }

    @Test
    void generatedRecordsAreWhatTheMailetsParsersAccept() throws Exception {
        assertThat(run("generate", "example.org", "--mx", "mx1.example.org", "--mx", "*.backup.example.org", "--mode", "enforce",
            "--max-age", "86400", "--rua", "mailto:tlsrpt@example.org", "--rua", "https://r.example.org/tlsrpt")).isZero();

        List<String> lines = out.lines().collect(Collectors.toList());
        String sts = lines.stream().filter(line -> line.startsWith("_mta-sts.")).findFirst().orElseThrow();
        assertThat(sts).isEqualTo("_mta-sts.example.org. IN TXT \"v=STSv1; id=20261122120000\"");
        assertThat(StsRecord.parse(sts.replaceAll(".*\"(.*)\"", "$1")).isValid()).isTrue();
        String policy = lines.stream().filter(line -> line.matches("^(version|mode|mx|max_age): .*"))
            .map(line -> line + "\r\n").collect(Collectors.joining());
        assertThat(PolicyParser.parse(policy).value().orElseThrow().mx()).hasSize(2);
        String rua = lines.stream().filter(line -> line.startsWith("_smtp._tls.")).findFirst().orElseThrow();
        assertThat(TlsRptRecord.parse(rua.replaceAll(".*\"(.*)\"", "$1")).destinations()).hasSize(2);
    }

    @Test
    void generateCheckComparesWithWhatIsPublished() throws Exception {
        publishPolicy("enforce", "mx." + domain);
        dns.txt("_smtp._tls." + domain, "v=TLSRPTv1; rua=mailto:tlsrpt@" + domain);
        List<String> network = List.of("--check", "--dns", dnsAddress(), "--ca-file", caFile.toString(), "--allow-private-addresses");

        List<String> same = new ArrayList<>(List.of("generate", domain, "--mx", "mx." + domain, "--mode", "enforce",
            "--max-age", "86400", "--rua", "mailto:tlsrpt@" + domain));
        same.addAll(network);
        assertThat(run(same.toArray(new String[0]))).isZero();
        assertThat(out).contains("published: the same");

        List<String> different = new ArrayList<>(List.of("generate", domain, "--mx", "mx2." + domain, "--mode", "testing"));
        different.addAll(network);
        assertThat(run(different.toArray(new String[0]))).isEqualTo(Main.NOT_OK);
        assertThat(out).contains("policy mode: published enforce, generated testing").contains("policy mx: published");
    }

    private void publishPolicy(String mode, String... mx) {
        InetAddress address = LoopbackAddresses.next();
        String host = "mta-sts." + domain;
        PolicyHost policyHost = PolicyHost.start(address, ca.issue(host));
        servers.add(policyHost);
        dns.a(host, address.getHostAddress());
        dns.txt("_mta-sts." + domain, "v=STSv1; id=1;");
        StringBuilder policy = new StringBuilder("version: STSv1\r\nmode: " + mode + "\r\n");
        for (String pattern : mx) {
            policy.append("mx: ").append(pattern).append("\r\n");
        }
        policyHost.respond("/.well-known/mta-sts.txt", PolicyHost.policy(policy.append("max_age: 86400\r\n").toString()));
    }

    private void mx(String host, int preference, UnaryOperator<MxServer.Options> options) {
        InetAddress address = LoopbackAddresses.next();
        servers.add(MxServer.start(address, options.apply(MxServer.Options.withCertificate(ca.issue(host)))));
        dns.mx(domain, preference, host);
        dns.a(host, address.getHostAddress());
    }

    private int check(String... more) {
        List<String> args = new ArrayList<>(List.of("check", domain, "--dns", dnsAddress(), "--ca-file", caFile.toString(),
            "--allow-private-addresses", "--timeout", "10s"));
        args.addAll(List.of(more));
        return run(args.toArray(new String[0]));
    }

    private int run(String... args) {
        return run(CLOCK, args);
    }

    private int run(Clock clock, String... args) {
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        int code = Main.run(List.of(args), new PrintStream(outBytes, true, StandardCharsets.UTF_8),
            new PrintStream(errBytes, true, StandardCharsets.UTF_8), clock);
        out = outBytes.toString(StandardCharsets.UTF_8);
        err = errBytes.toString(StandardCharsets.UTF_8);
        return code;
    }

    private String dnsAddress() {
        return dns.address().getHostAddress() + ":" + dns.port();
    }

    private static List<String> steps(JsonNode json) {
        return StreamSupport.stream(json.get("findings").spliterator(), false).map(node -> node.get("step").asText()).collect(Collectors.toList());
    }

    private static List<String> statuses(JsonNode json) {
        return StreamSupport.stream(json.get("findings").spliterator(), false).map(node -> node.get("status").asText()).collect(Collectors.toList());
    }

    private static List<String> resultTypes(JsonNode json) {
        return StreamSupport.stream(json.get("findings").spliterator(), false).filter(node -> node.has("resultType"))
            .map(node -> node.get("resultType").asText()).collect(Collectors.toList());
    }
}

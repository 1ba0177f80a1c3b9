package io.github.jamesmtasts.cli;

import io.github.jamesmtasts.check.DomainCheck;
import io.github.jamesmtasts.dane.HostTlsa;
import io.github.jamesmtasts.dane.TlsaRecord;
import io.github.jamesmtasts.dns.DnsAnswer;
import io.github.jamesmtasts.policy.FetchResult;
import io.github.jamesmtasts.mtasts.Mode;
import io.github.jamesmtasts.mtasts.MxPattern;
import io.github.jamesmtasts.mtasts.Parsed;
import io.github.jamesmtasts.mtasts.Policy;
import io.github.jamesmtasts.mtasts.PolicyError;
import io.github.jamesmtasts.mtasts.PolicyParser;
import io.github.jamesmtasts.mtasts.StsDiscovery;
import io.github.jamesmtasts.tlsrpt.InvalidRecordException;
import io.github.jamesmtasts.tlsrpt.TlsRptDiscovery;
import io.github.jamesmtasts.tlsrpt.TlsRptRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code mta-sts generate DOMAIN --mx HOST...}: the three things a domain publishes, ready to paste: the
 * {@code _mta-sts} TXT record with a fresh {@code id} (RFC 8461 §3.1), the policy file (§3.2, CRLF lines),
 * and, with {@code --rua}, the {@code _smtp._tls} record (RFC 8460 §3). Each is read back by the parsers
 * the mailet uses, so what is printed is what a sender accepts. {@code --check} compares them with what is
 * published.
 */
final class GenerateCommand {
    /** A week: long enough to ride out an outage of the policy host, short enough to change course. */
    static final long DEFAULT_MAX_AGE = 604_800;
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private final String domain;
    private final Policy policy;
    private final String policyText;
    private final String stsRecord;
    private final Optional<TlsRptRecord> tlsRpt;
    private final Optional<String> tlsRptText;
    private final Optional<TlsaRecord> tlsa;
    private final List<String> mxHosts;

    private GenerateCommand(String domain, Policy policy, String policyText, String stsRecord, Optional<String> tlsRptText,
                            Optional<TlsRptRecord> tlsRpt, Optional<TlsaRecord> tlsa, List<String> mxHosts) {
        this.domain = domain;
        this.tlsa = tlsa;
        this.mxHosts = List.copyOf(mxHosts);
        this.policy = policy;
        this.policyText = policyText;
        this.stsRecord = stsRecord;
        this.tlsRptText = tlsRptText;
        this.tlsRpt = tlsRpt;
    }

    /** Builds and validates the records from {@code --mx}, {@code --mode}, {@code --max-age} and {@code --rua}. */
    static GenerateCommand of(String domain, Arguments arguments, Clock clock) throws UsageException {
        if (arguments.all("--mx").isEmpty()) {
            throw new UsageException("generate needs at least one --mx HOST");
        }
        String mode = arguments.one("--mode").orElse("testing");
        if (Mode.fromKeyword(mode).isEmpty()) {
            throw new UsageException("--mode must be enforce, testing or none, not " + mode);
        }
        StringBuilder text = new StringBuilder("version: STSv1\r\nmode: " + mode + "\r\n");
        for (String mx : arguments.all("--mx")) {
            Parsed<MxPattern, MxPattern.Problem> pattern = MxPattern.parse(mx);
            if (!pattern.isValid()) {
                throw new UsageException("--mx " + mx + ": " + pattern.detail());
            }
            text.append("mx: ").append(mx).append("\r\n");
        }
        text.append("max_age: ").append(arguments.one("--max-age").orElse(String.valueOf(DEFAULT_MAX_AGE))).append("\r\n");
        // RFC 8461 §3.2: read back by the parser delivery uses, so max_age and the rest are checked the same way.
        Parsed<Policy, PolicyError> parsed = PolicyParser.parse(text.toString());
        if (!parsed.isValid()) {
            throw new UsageException("the policy would be invalid: " + parsed.detail());
        }
        Optional<String> ruaText = arguments.all("--rua").isEmpty() ? Optional.empty()
            : Optional.of("v=TLSRPTv1; rua=" + String.join(",", arguments.all("--rua")));
        Optional<TlsRptRecord> rua;
        try {
            rua = ruaText.isPresent() ? Optional.of(TlsRptRecord.parse(ruaText.get())) : Optional.empty();
        } catch (InvalidRecordException e) {
            throw new UsageException("--rua: " + e.getMessage());
        }
        // RFC 8461 §3.1: id is 1 to 32 letters and digits; a UTC time stamp changes with each new policy.
        String record = "v=STSv1; id=" + ID.format(clock.instant());
        Optional<TlsaRecord> tlsa = arguments.one("--tlsa-cert").isPresent()
            ? Optional.of(TlsaRecord.daneEe(certificate(Path.of(arguments.one("--tlsa-cert").get())))) : Optional.empty();
        return new GenerateCommand(domain, parsed.value().orElseThrow(), text.toString(), record, ruaText, rua, tlsa,
            arguments.all("--mx"));
    }

    /** The first certificate of a PEM (or DER) file: the MX host's own, its chain may follow. */
    private static X509Certificate certificate(Path file) throws UsageException {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | CertificateException e) {
            throw new UsageException("--tlsa-cert " + file + ": not a readable certificate (" + e.getMessage() + ")");
        }
    }

    void print(PrintStream out) {
        tlsa.ifPresent(record -> {
            // RFC 7671 §5.1: DANE-EE with the key's SHA2-256 digest ("3 1 1") survives a renewal with the same key.
            out.println("; DNS (DNSSEC-signed): TLSA record of each MX host for DANE (RFC 7672), DANE-EE SPKI SHA2-256");
            mxHosts.stream().filter(host -> !host.startsWith("*.")).forEach(host ->
                out.println(HostTlsa.ownerName(host, DomainCheck.SMTP_PORT) + ". IN TLSA " + record));
            out.println();
        });
        out.println("; DNS: TXT record of " + StsDiscovery.recordName(domain));
        out.println(StsDiscovery.recordName(domain) + ". IN TXT \"" + stsRecord + "\"");
        out.println();
        out.println("; HTTPS: https://mta-sts." + domain + "/.well-known/mta-sts.txt (Content-Type: text/plain)");
        out.print(policyText.replace("\r\n", "\n"));
        tlsRptText.ifPresent(text -> {
            out.println();
            out.println("; DNS: TXT record of _smtp._tls." + domain);
            out.println("_smtp._tls." + domain + ". IN TXT \"" + text + "\"");
        });
    }

    /** Compares with what is published; returns the differences, none when it matches. */
    List<String> compare(Network network) {
        List<String> differences = new ArrayList<>();
        StsDiscovery discovery = StsDiscovery.of(network.dns().txt(StsDiscovery.recordName(domain)).join());
        if (discovery.outcome() != StsDiscovery.Outcome.RECORD) {
            differences.add(StsDiscovery.recordName(domain) + ": no valid record published (" + discovery.detail() + ")");
        }
        FetchResult fetched = network.policies().fetch(domain).join();
        if (fetched.policy().isEmpty()) {
            differences.add("policy: " + fetched.failure().map(Object::toString).orElse("not fetched"));
        } else {
            Policy published = fetched.policy().get();
            if (published.mode() != policy.mode()) {
                differences.add("policy mode: published " + published.mode().keyword() + ", generated " + policy.mode().keyword());
            }
            if (!patterns(published).equals(patterns(policy))) {
                differences.add("policy mx: published " + patterns(published) + ", generated " + patterns(policy));
            }
            if (!published.maxAge().equals(policy.maxAge())) {
                differences.add("policy max_age: published " + published.maxAge().getSeconds() + ", generated " + policy.maxAge().getSeconds());
            }
        }
        tlsRpt.ifPresent(wanted -> {
            DnsAnswer<String> answer = network.dns().txt("_smtp._tls." + domain).join();
            TlsRptDiscovery published = TlsRptDiscovery.fromTxtRecords(answer.records());
            Optional<TlsRptRecord> found = published.record();
            if (found.isEmpty() || !new HashSet<>(found.get().destinations()).equals(new HashSet<>(wanted.destinations()))) {
                differences.add("_smtp._tls." + domain + ": published " + found.map(Object::toString).orElse(published.detail())
                    + ", generated " + wanted);
            }
        });
        return differences;
    }

    private static Set<String> patterns(Policy policy) {
        return policy.mx().stream().map(Object::toString).collect(Collectors.toSet());
    }
}

package io.github.jamesmtasts.cli;

import io.github.jamesmtasts.dane.TlsaRecord;
import io.github.jamesmtasts.delivery.DaneState;
import io.github.jamesmtasts.delivery.MxDirectory;
import io.github.jamesmtasts.dns.DnsAnswer;
import io.github.jamesmtasts.dns.MxHost;
import io.github.jamesmtasts.policy.FetchResult;
import io.github.jamesmtasts.mtasts.Mode;
import io.github.jamesmtasts.mtasts.Policy;
import io.github.jamesmtasts.mtasts.StsDiscovery;
import io.github.jamesmtasts.result.Failure;
import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.smtp.MxProbe;
import io.github.jamesmtasts.smtp.MxTarget;
import io.github.jamesmtasts.smtp.TlsStance;
import io.github.jamesmtasts.tlsrpt.TlsRptDiscovery;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code mta-sts check DOMAIN}: what a sending MTA sees of a domain's MTA-STS, step by step, with the
 * extension's own code: the {@code _mta-sts} record (RFC 8461 §3.1), the policy (§3.2, §3.3), each MX host
 * against the policy (§4.1) and over STARTTLS with certificate validation (§4.2), DANE (RFC 7672 §2.2: the DNSSEC
 * state of the MX records and each host's TLSA records, and whether the certificate matches them), and the
 * {@code _smtp._tls} record (RFC 8460 §3).
 */
final class CheckCommand {
    static final int SMTP_PORT = 25;
    /** A certificate closer than this to its end is a warning. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(14);

    private final Network network;
    private final Clock clock;

    CheckCommand(Network network, Clock clock) {
        this.network = network;
        this.clock = clock;
    }

    CheckReport check(String domain) {
        List<Finding> findings = new ArrayList<>();
        Optional<Policy> policy = policy(domain, findings);
        boolean enforced = policy.map(found -> found.mode() == Mode.ENFORCE).orElse(false);
        boolean deliverable = mxHosts(domain, policy, findings) || !enforced;
        dane(domain, findings);
        tlsRpt(domain, findings);
        return new CheckReport(domain, findings, deliverable);
    }

    /** RFC 8461 §3.1-§3.3: the record, then the policy it announces. */
    private Optional<Policy> policy(String domain, List<Finding> findings) {
        StsDiscovery discovery = StsDiscovery.of(network.dns.txt(StsDiscovery.recordName(domain)).join());
        switch (discovery.outcome()) {
            case RECORD:
                findings.add(Finding.of("txt", StsDiscovery.recordName(domain), Finding.Status.OK,
                    "v=STSv1; id=" + discovery.record().orElseThrow().id()));
                break;
            case NO_POLICY:
                findings.add(Finding.of("txt", StsDiscovery.recordName(domain), Finding.Status.INFO,
                    "no MTA-STS policy: " + discovery.detail()));
                return Optional.empty();
            default:
                findings.add(Finding.of("txt", StsDiscovery.recordName(domain), Finding.Status.PROBLEM,
                    "DNS gave no answer: " + discovery.detail()));
                return Optional.empty();
        }
        FetchResult fetched = network.policies.fetch(domain).join();
        String url = "https://mta-sts." + domain + "/.well-known/mta-sts.txt";
        if (fetched.failure().isPresent()) {
            Failure failure = fetched.failure().get();
            findings.add(Finding.problem("policy", url, failure.type(), failure.detail()));
            return Optional.empty();
        }
        Policy policy = fetched.policy().orElseThrow();
        findings.add(Finding.of("policy", url, policy.mode() == Mode.NONE ? Finding.Status.INFO : Finding.Status.OK,
            "mode " + policy.mode().keyword() + ", mx " + policy.mx().stream().map(Object::toString).collect(Collectors.joining(" "))
                + ", max_age " + policy.maxAge().getSeconds() + " s"));
        return Optional.of(policy);
    }

    /**
     * RFC 8461 §4: each MX host, in preference order, against the policy and over verified TLS.
     *
     * @return whether at least one host the policy lists verified
     */
    private boolean mxHosts(String domain, Optional<Policy> policy, List<Finding> findings) {
        DnsAnswer<MxHost> answer = network.dns.mx(domain).join();
        List<MxHost> hosts = answer.records().stream().sorted(Comparator.comparingInt(MxHost::preference)).collect(Collectors.toList());
        if (hosts.isEmpty()) {
            // RFC 5321 §5.1: without MX records the domain itself is the mail server.
            hosts = List.of(new MxHost(domain, 0));
            findings.add(Finding.of("mx", domain, Finding.Status.INFO, "no MX record (" + answer.status() + "): the domain itself"));
        }
        boolean anyVerified = false;
        for (MxHost host : hosts) {
            if (host.isNullMx()) {
                findings.add(Finding.of("mx", domain, Finding.Status.PROBLEM, "null MX (RFC 7505): the domain accepts no mail"));
                continue;
            }
            String name = host.hostname();
            boolean listed = policy.map(found -> found.matchesMx(name)).orElse(true);
            if (!listed) {
                findings.add(Finding.problem("mx", name, ResultType.VALIDATION_FAILURE,
                    "not covered by the policy's mx patterns"));
            }
            anyVerified |= probe(name, findings) && listed;
        }
        return anyVerified;
    }

    /** RFC 8461 §4.2: STARTTLS on port 25 and the certificate against the MX host name. */
    private boolean probe(String host, List<Finding> findings) {
        DnsAnswer<InetAddress> addresses = network.dns.addresses(host).join();
        if (!addresses.found()) {
            findings.add(Finding.of("mx", host, Finding.Status.PROBLEM, "no address: " + addresses.detail()));
            return false;
        }
        MxProbe probe = network.smtp.probe(new MxTarget(host, addresses.records().get(0), SMTP_PORT)).join();
        if (!probe.verified()) {
            Optional<Failure> failure = probe.tlsFailure();
            findings.add(failure.isPresent()
                ? Finding.problem("mx", host, failure.get().type(), failure.get().detail())
                : Finding.of("mx", host, Finding.Status.PROBLEM, "no SMTP session: " + probe.failure().orElseThrow().detail()));
            return false;
        }
        Optional<Instant> notAfter = probe.certificate().map(X509Certificate::getNotAfter).map(Date::toInstant);
        long days = notAfter.map(end -> Duration.between(clock.instant(), end).toDays()).orElse(Long.MAX_VALUE);
        String expiry = notAfter.map(end -> ", certificate valid until " + end + " (" + days + " days)").orElse("");
        findings.add(Finding.of("mx", host, days < EXPIRY_WARNING.toDays() ? Finding.Status.WARNING : Finding.Status.OK,
            "STARTTLS with a valid certificate" + expiry + (probe.offersRequireTls() ? ", offers REQUIRETLS" : "")
                + probe.certificate().map(certificate -> ", DANE-EE record " + TlsaRecord.daneEe(certificate)).orElse("")));
        return true;
    }

    /** RFC 7672 §2.2: the DNSSEC state of the MX records, then each host's TLSA records and the certificate against them. */
    private void dane(String domain, List<Finding> findings) {
        MxDirectory directory = MxDirectory.of(network.dnssec);
        if (!network.dnssec.trust().trusted()) {
            findings.add(Finding.of("dane", domain, Finding.Status.INFO, "not checked: " + network.dnssec.trust().reason()));
            return;
        }
        DnsAnswer<MxHost> mx = directory.mx(domain).join();
        if (mx.status() == DnsAnswer.Status.TEMPORARY_FAILURE || !mx.secure()) {
            findings.add(Finding.of("dane", domain, mx.status() == DnsAnswer.Status.TEMPORARY_FAILURE ? Finding.Status.PROBLEM
                : Finding.Status.INFO, "MX records " + mx + ": DANE does not apply"));
            return;
        }
        findings.add(Finding.of("dane", domain, Finding.Status.OK, "MX records are DNSSEC-secure"));
        List<String> hosts = mx.found() ? mx.records().stream().filter(host -> !host.isNullMx()).map(MxHost::hostname)
            .collect(Collectors.toList()) : List.of(domain);
        for (String host : hosts) {
            DnsAnswer<InetAddress> addresses = directory.addresses(host).join();
            if (!addresses.found() || !addresses.secure()) {
                findings.add(Finding.of("dane", host, Finding.Status.INFO, "addresses " + addresses + ": DANE does not apply"));
                continue;
            }
            DaneState state = DaneState.of(directory, host, addresses).join();
            switch (state.kind()) {
                case USABLE:
                    MxTarget target = new MxTarget(host, addresses.records().get(0), SMTP_PORT).withTlsa(state.tlsa().orElseThrow());
                    MxProbe probe = network.smtp.probe(target, TlsStance.DANE).join();
                    Optional<Failure> failure = probe.tlsFailure();
                    findings.add(probe.verified()
                        ? Finding.of("dane", host, Finding.Status.OK, "the certificate matches " + state.tlsa().orElseThrow()
                            + probe.certificate().map(certificate -> "; its DANE-EE record " + TlsaRecord.daneEe(certificate)).orElse(""))
                        : failure.isPresent() ? Finding.problem("dane", host, failure.get().type(), failure.get().detail())
                        : Finding.of("dane", host, Finding.Status.PROBLEM, "no SMTP session: " + probe.failure().orElseThrow().detail()));
                    break;
                case NONE:
                    findings.add(Finding.of("dane", host, Finding.Status.INFO, "no secure TLSA records: DANE does not apply"));
                    break;
                default:
                    Failure problem = state.failure().orElseThrow();
                    findings.add(Finding.problem("dane", host, problem.type(), problem.detail()));
            }
        }
    }

    /** RFC 8460 §3: the reporting record. */
    private void tlsRpt(String domain, List<Finding> findings) {
        String name = "_smtp._tls." + domain;
        DnsAnswer<String> answer = network.dns.txt(name).join();
        TlsRptDiscovery discovery = answer.status() == DnsAnswer.Status.TEMPORARY_FAILURE
            ? TlsRptDiscovery.temporaryFailure(answer.detail())
            : TlsRptDiscovery.fromTxtRecords(answer.records());
        if (discovery.outcome() == TlsRptDiscovery.Outcome.FOUND) {
            findings.add(Finding.of("tlsrpt", name, Finding.Status.OK, "reports to " + discovery.record().orElseThrow().destinations()));
        } else {
            findings.add(Finding.of("tlsrpt", name, Finding.Status.WARNING, "no TLS-RPT reports: " + discovery.detail()));
        }
    }
}

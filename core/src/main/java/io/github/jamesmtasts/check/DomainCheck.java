package io.github.jamesmtasts.check;

import io.github.jamesmtasts.dane.TlsaRecord;
import io.github.jamesmtasts.delivery.DaneState;
import io.github.jamesmtasts.delivery.MxDirectory;
import io.github.jamesmtasts.dns.DnsAnswer;
import io.github.jamesmtasts.dns.MxHost;
import io.github.jamesmtasts.mtasts.Mode;
import io.github.jamesmtasts.mtasts.Policy;
import io.github.jamesmtasts.mtasts.StsDiscovery;
import io.github.jamesmtasts.policy.FetchResult;
import io.github.jamesmtasts.policy.PolicyFetcher;
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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a sending MTA sees of a domain's MTA-STS, step by step, with the extension's own clients: the
 * {@code _mta-sts} record (RFC 8461 §3.1), the policy (§3.2, §3.3) and its host's certificate, each MX host
 * against the policy (§4.1) and over STARTTLS with certificate validation (§4.2), DANE (RFC 7672 §2.2: the DNSSEC
 * state of the MX records and each host's TLSA records, and whether the certificate matches them), and the
 * {@code _smtp._tls} record (RFC 8460 §3). Given what the domain's own server serves ({@link ExpectedPolicy}), it
 * also says where senders see something else. The one implementation behind {@code mta-sts check} and the
 * watch of one's own domains.
 */
public final class DomainCheck {
    /** RFC 5321 §4.5.4.1 and RFC 8461 §4.2: where a sender finds the MX host. */
    public static final int SMTP_PORT = 25;
    /** RFC 8461 §3.2 expects weeks; less than a day makes senders refetch all day and leaves a short window of protection. */
    static final Duration SHORT_MAX_AGE = Duration.ofDays(1);

    private final CheckClients clients;
    private final Clock clock;

    public DomainCheck(CheckClients clients, Clock clock) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Checks a domain (an A-label) as any sender sees it. */
    public CheckReport check(String domain) {
        return check(domain, Optional.empty());
    }

    /** Checks a domain and compares what senders see with what its own server serves. */
    public CheckReport check(String domain, Optional<ExpectedPolicy> expected) {
        List<Finding> findings = new ArrayList<>();
        Optional<Policy> policy = policy(domain, expected, findings);
        boolean enforced = policy.map(found -> found.mode() == Mode.ENFORCE).orElse(false);
        boolean deliverable = mxHosts(domain, policy, findings) || !enforced;
        dane(domain, findings);
        tlsRpt(domain, findings);
        return new CheckReport(domain, findings, deliverable);
    }

    /** RFC 8461 §3.1-§3.3: the record, then the policy it announces. */
    private Optional<Policy> policy(String domain, Optional<ExpectedPolicy> expected, List<Finding> findings) {
        String name = StsDiscovery.recordName(domain);
        StsDiscovery discovery = StsDiscovery.of(clients.dns().txt(name).join());
        switch (discovery.outcome()) {
            case RECORD:
                String id = discovery.record().orElseThrow().id();
                findings.add(Finding.of("txt", name, Finding.Status.OK, "record", "v=STSv1; id=" + id));
                expected.filter(served -> !served.id().equals(id)).ifPresent(served -> findings.add(Finding.of("txt", name,
                    Finding.Status.PROBLEM, "stale-id", "id=" + id + ", but the policy served has id=" + served.id()
                        // RFC 8461 §3.1: senders refetch only when the id changes.
                        + ": senders that cached the old policy keep it until its max_age ends")));
                break;
            case NO_POLICY:
                // RFC 8461 §3.1: several v=STSv1 records mean no policy, surely not what the domain meant.
                boolean mistaken = expected.isPresent() || discovery.reason().orElseThrow() == StsDiscovery.Reason.MULTIPLE_STS_RECORDS;
                findings.add(Finding.of("txt", name, mistaken ? Finding.Status.PROBLEM : Finding.Status.INFO,
                    discovery.reason().orElseThrow() == StsDiscovery.Reason.MULTIPLE_STS_RECORDS ? "multiple-records" : "no-policy",
                    "no MTA-STS policy: " + discovery.detail()));
                return Optional.empty();
            default:
                findings.add(Finding.of("txt", name, Finding.Status.PROBLEM, "dns-failure", "DNS gave no answer: " + discovery.detail()));
                return Optional.empty();
        }
        FetchResult fetched = clients.policies().fetch(domain).join();
        String url = PolicyFetcher.policyUrl(domain);
        if (fetched.failure().isPresent()) {
            Failure failure = fetched.failure().get();
            findings.add(Finding.problem("policy", url, failure.type(), failure.detail()));
            return Optional.empty();
        }
        Policy policy = fetched.policy().orElseThrow();
        findings.add(Finding.of("policy", url, policy.mode() == Mode.NONE ? Finding.Status.INFO : Finding.Status.OK, "policy",
            "mode " + policy.mode().keyword() + ", mx " + policy.mx().stream().map(Object::toString).collect(Collectors.joining(" "))
                + ", max_age " + policy.maxAge().getSeconds() + " s"));
        expected.map(served -> served.differences(policy)).filter(differences -> !differences.isEmpty())
            .ifPresent(differences -> findings.add(Finding.of("policy", url, Finding.Status.PROBLEM, "policy-differs",
                "senders fetch another policy than the one served: " + String.join("; ", differences))));
        // RFC 8461 §3.2: max_age is "expected ... in the range of weeks or greater".
        if (policy.mode() != Mode.NONE && policy.maxAge().compareTo(SHORT_MAX_AGE) < 0) {
            findings.add(Finding.of("policy", url, Finding.Status.WARNING, "short-max-age", "max_age " + policy.maxAge().getSeconds()
                + " s is less than a day: senders hold the policy only that long, RFC 8461 §3.2 expects weeks"));
        }
        String host = PolicyFetcher.policyHost(domain);
        fetched.certificateNotAfter().ifPresent(end -> ExpiryThreshold.crossed(clock.instant(), end).ifPresent(threshold ->
            findings.add(Finding.expiring("policy", host, threshold, "certificate valid until " + validity(end) + ": " + threshold))));
        return Optional.of(policy);
    }

    /**
     * RFC 8461 §4: each MX host, in preference order, against the policy and over verified TLS.
     *
     * @return whether at least one host the policy lists verified
     */
    private boolean mxHosts(String domain, Optional<Policy> policy, List<Finding> findings) {
        DnsAnswer<MxHost> answer = clients.dns().mx(domain).join();
        List<MxHost> hosts = answer.records().stream().sorted(Comparator.comparingInt(MxHost::preference)).collect(Collectors.toList());
        if (hosts.isEmpty()) {
            // RFC 5321 §5.1: without MX records the domain itself is the mail server.
            hosts = List.of(new MxHost(domain, 0));
            findings.add(Finding.of("mx", domain, Finding.Status.INFO, "no-mx", "no MX record (" + answer.status() + "): the domain itself"));
        }
        boolean anyVerified = false;
        for (MxHost host : hosts) {
            if (host.isNullMx()) {
                findings.add(Finding.of("mx", domain, Finding.Status.PROBLEM, "null-mx", "null MX (RFC 7505): the domain accepts no mail"));
                continue;
            }
            String name = host.hostname();
            // RFC 8461 §4.1: a sender delivers only to MX hosts that match a pattern.
            boolean listed = policy.map(found -> found.matchesMx(name)).orElse(true);
            if (!listed) {
                findings.add(Finding.problem("mx", name, ResultType.VALIDATION_FAILURE, "not covered by the policy's mx patterns"));
            }
            anyVerified |= probe(name, findings) && listed;
        }
        return anyVerified;
    }

    /** RFC 8461 §4.2: STARTTLS on port 25 and the certificate against the MX host name. */
    private boolean probe(String host, List<Finding> findings) {
        DnsAnswer<InetAddress> addresses = clients.dns().addresses(host).join();
        if (!addresses.found()) {
            findings.add(Finding.of("mx", host, Finding.Status.PROBLEM, "no-address", "no address: " + addresses.detail()));
            return false;
        }
        MxProbe probe = clients.smtp().probe(new MxTarget(host, addresses.records().get(0), SMTP_PORT)).join();
        if (!probe.verified()) {
            findings.add(unverified("mx", host, probe));
            return false;
        }
        Optional<Instant> notAfter = probe.certificate().map(certificate -> certificate.getNotAfter().toInstant());
        String message = "STARTTLS with a valid certificate" + notAfter.map(end -> ", certificate valid until " + validity(end)).orElse("")
            + (probe.offersRequireTls() ? ", offers REQUIRETLS" : "")
            + probe.certificate().map(certificate -> ", DANE-EE record " + TlsaRecord.daneEe(certificate)).orElse("");
        Optional<ExpiryThreshold> threshold = notAfter.flatMap(end -> ExpiryThreshold.crossed(clock.instant(), end));
        findings.add(threshold.map(crossed -> Finding.expiring("mx", host, crossed, message + ": " + crossed))
            .orElseGet(() -> Finding.of("mx", host, Finding.Status.OK, "starttls", message)));
        return true;
    }

    /** RFC 7672 §2.2: the DNSSEC state of the MX records, then each host's TLSA records and the certificate against them. */
    private void dane(String domain, List<Finding> findings) {
        MxDirectory directory = MxDirectory.of(clients.dnssec());
        if (!clients.dnssec().trust().trusted()) {
            findings.add(Finding.of("dane", domain, Finding.Status.INFO, "not-checked", "not checked: " + clients.dnssec().trust().reason()));
            return;
        }
        DnsAnswer<MxHost> mx = directory.mx(domain).join();
        if (mx.status() == DnsAnswer.Status.TEMPORARY_FAILURE) {
            findings.add(Finding.of("dane", domain, Finding.Status.PROBLEM, "dns-failure", "MX records " + mx + ": DANE does not apply"));
            return;
        }
        if (!mx.secure()) {
            findings.add(Finding.of("dane", domain, Finding.Status.INFO, "insecure", "MX records " + mx + ": DANE does not apply"));
            return;
        }
        findings.add(Finding.of("dane", domain, Finding.Status.OK, "secure", "MX records are DNSSEC-secure"));
        List<String> hosts = mx.found() ? mx.records().stream().filter(host -> !host.isNullMx()).map(MxHost::hostname)
            .collect(Collectors.toList()) : List.of(domain);
        for (String host : hosts) {
            DnsAnswer<InetAddress> addresses = directory.addresses(host).join();
            if (!addresses.found() || !addresses.secure()) {
                findings.add(Finding.of("dane", host, Finding.Status.INFO, "insecure", "addresses " + addresses + ": DANE does not apply"));
                continue;
            }
            DaneState state = DaneState.of(directory, host, addresses).join();
            switch (state.kind()) {
                case USABLE:
                    MxTarget target = new MxTarget(host, addresses.records().get(0), SMTP_PORT).withTlsa(state.tlsa().orElseThrow());
                    MxProbe probe = clients.smtp().probe(target, TlsStance.DANE).join();
                    findings.add(probe.verified()
                        ? Finding.of("dane", host, Finding.Status.OK, "match", "the certificate matches " + state.tlsa().orElseThrow()
                            + probe.certificate().map(certificate -> "; its DANE-EE record " + TlsaRecord.daneEe(certificate)).orElse(""))
                        : unverified("dane", host, probe));
                    break;
                case NONE:
                    findings.add(Finding.of("dane", host, Finding.Status.INFO, "no-tlsa", "no secure TLSA records: DANE does not apply"));
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
        DnsAnswer<String> answer = clients.dns().txt(name).join();
        TlsRptDiscovery discovery = answer.status() == DnsAnswer.Status.TEMPORARY_FAILURE
            ? TlsRptDiscovery.temporaryFailure(answer.detail())
            : TlsRptDiscovery.fromTxtRecords(answer.records());
        if (discovery.outcome() == TlsRptDiscovery.Outcome.FOUND) {
            findings.add(Finding.of("tlsrpt", name, Finding.Status.OK, "record", "reports to " + discovery.record().orElseThrow().destinations()));
        } else {
            findings.add(Finding.of("tlsrpt", name, Finding.Status.WARNING, "no-record", "no TLS-RPT reports: " + discovery.detail()));
        }
    }

    /** A probe that did not verify: the TLS failure by its result type, or no session at all. */
    private static Finding unverified(String step, String host, MxProbe probe) {
        Optional<Failure> failure = probe.tlsFailure();
        return failure.isPresent() ? Finding.problem(step, host, failure.get().type(), failure.get().detail())
            : Finding.of(step, host, Finding.Status.PROBLEM, "no-session", "no SMTP session: " + probe.failure().orElseThrow().detail());
    }

    private String validity(Instant end) {
        return end + " (" + Duration.between(clock.instant(), end).toDays() + " days)";
    }
}

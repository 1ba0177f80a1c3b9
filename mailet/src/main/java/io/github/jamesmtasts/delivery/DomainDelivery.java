package io.github.jamesmtasts.delivery;

import io.github.jamesmtasts.dns.DnsAnswer;
import io.github.jamesmtasts.policy.PolicyLookup;
import io.github.jamesmtasts.policy.PolicyResolver;
import io.github.jamesmtasts.result.Failure;
import io.github.jamesmtasts.result.ResultSink;
import io.github.jamesmtasts.smtp.Envelope;
import io.github.jamesmtasts.smtp.MxTarget;
import io.github.jamesmtasts.smtp.RecipientOutcome;
import io.github.jamesmtasts.smtp.SessionOutcome;
import io.github.jamesmtasts.smtp.SmtpSender;
import io.github.jamesmtasts.smtp.TlsStance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Delivers one message to the recipients of one policy domain under MTA-STS (RFC 8461 §5): policy look-up,
 * MX hosts, their addresses, one SMTP session per address until every recipient is settled; every session
 * is reported to the {@link ResultSink}. Blocks the calling thread while the futures of its collaborators
 * complete: call it from a delivery worker, never from an event loop. Thread-safe.
 */
public final class DomainDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(DomainDelivery.class);

    private final PolicyResolver policies;
    private final MxDirectory directory;
    private final SmtpSender smtp;
    private final ResultSink sink;
    private final Enforcement enforcement;
    private final Clock clock;

    public DomainDelivery(PolicyResolver policies, MxDirectory directory, SmtpSender smtp, ResultSink sink,
                          Enforcement enforcement, Clock clock) {
        this.policies = Objects.requireNonNull(policies, "policies");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.smtp = Objects.requireNonNull(smtp, "smtp");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.enforcement = Objects.requireNonNull(enforcement, "enforcement");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** One delivery attempt; the outcome says, per recipient, delivered, retry or bounce. Logs one line. */
    public DomainOutcome deliver(DeliveryRequest request) {
        String domain = request.domain();
        EnforcementMode mode = enforcement.modeFor(domain);
        Optional<PolicyLookup> lookup = PolicyApplication.needsLookup(mode, request.tlsRequirement())
            ? Optional.of(policies.resolve(domain).join())
            : Optional.empty();
        PolicyApplication application = PolicyApplication.decide(lookup, mode, request.tlsRequirement());
        RecipientLedger ledger = attempt(request, application, request.recipients());
        DomainOutcome outcome = application.treatment() == PolicyApplication.Treatment.ENFORCE && ledger.withheldByPolicy()
            ? recheck(request, mode, lookup.orElseThrow(), application, ledger)
            : new DomainOutcome(domain, application, ledger.outcomes(), ledger.steps());
        LOG.info("MTA-STS delivery to {}: {}; {}; outcome {}", domain, outcome.application(), outcome.steps(), outcome.outcomes());
        return outcome;
    }

    /**
     * RFC 8461 §5.1 step 5: before mail fails because of an {@code enforce} policy, check the TXT {@code id}
     * again; when a new policy comes, try the pending recipients once more under it.
     */
    private DomainOutcome recheck(DeliveryRequest request, EnforcementMode mode, PolicyLookup used,
                                  PolicyApplication application, RecipientLedger ledger) {
        PolicyLookup fresh = policies.recheck(request.domain()).join();
        if (Objects.equals(fresh.id(), used.id()) && Objects.equals(fresh.policy(), used.policy())) {
            ledger.step("policy re-checked: unchanged");
            return new DomainOutcome(request.domain(), application, ledger.outcomes(), ledger.steps());
        }
        PolicyApplication renewed = PolicyApplication.decide(Optional.of(fresh), mode, request.tlsRequirement());
        ledger.step("policy re-checked: now " + renewed);
        RecipientLedger again = attempt(request, renewed, ledger.pending());
        Map<String, DeliveryOutcome> outcomes = new LinkedHashMap<>(ledger.outcomes());
        outcomes.putAll(again.outcomes());
        List<String> steps = new ArrayList<>(ledger.steps());
        steps.addAll(again.steps());
        return new DomainOutcome(request.domain(), renewed, outcomes, steps);
    }

    private RecipientLedger attempt(DeliveryRequest request, PolicyApplication application, List<String> recipients) {
        RecipientLedger ledger = new RecipientLedger(recipients);
        SessionRecorder recorder = new SessionRecorder(sink, clock, request.domain(), application, request.recordResults());
        if (application.treatment() == PolicyApplication.Treatment.REFUSE) {
            ledger.bounceAll(DeliveryProblem.of(DeliveryProblem.Cause.REQUIRETLS, "the message requires TLS (REQUIRETLS)"
                + " but " + request.domain() + " has no MTA-STS policy in enforce mode to validate its MX hosts"));
            return ledger;
        }
        // RFC 8460 §4.3.2: a policy that could not be had is a failure of its own; delivery goes on without it.
        application.lookup().filter(found -> found.policy().isEmpty()).flatMap(PolicyLookup::failure)
            .ifPresent(recorder::policyFailure);
        MailServers servers = MailServers.of(request.domain(), directory.mx(request.domain()).join());
        Optional<DeliveryProblem> noServer = servers.problem();
        if (noServer.isPresent()) {
            ledger.step("MX: " + noServer.get().detail());
            if (noServer.get().cause() == DeliveryProblem.Cause.DNS) {
                ledger.temporary(noServer.get());
            } else {
                ledger.bounceAll(noServer.get());
            }
            return ledger;
        }
        for (MxPlan.Step step : MxPlan.of(application, servers.hosts()).steps()) {
            if (ledger.done()) {
                break;
            }
            if (step.outsidePolicy()) {
                Failure failure = recorder.outsidePolicy(step.host());
                ledger.step(step + ": " + failure);
                if (step.stance().isEmpty()) {
                    ledger.withheldByPolicy(DeliveryProblem.mtaSts(failure.detail(), failure));
                    continue;
                }
            }
            tryHost(request, application, step, servers.implicit(), ledger, recorder);
        }
        return ledger;
    }

    private void tryHost(DeliveryRequest request, PolicyApplication application, MxPlan.Step step,
                         boolean implicitMx, RecipientLedger ledger, SessionRecorder recorder) {
        String host = step.host().hostname();
        TlsStance stance = step.stance().orElseThrow();
        DnsAnswer<InetAddress> addresses = directory.addresses(host).join();
        if (!addresses.found()) {
            ledger.step(host + ": " + addresses.status());
            if (addresses.status() == DnsAnswer.Status.TEMPORARY_FAILURE) {
                ledger.temporary(DeliveryProblem.of(DeliveryProblem.Cause.DNS, "address look-up failed: " + addresses.detail()));
            } else {
                // RFC 5321 §5.1: no MX and no address means no mail server; an MX without address is skipped.
                DeliveryProblem problem = DeliveryProblem.of(DeliveryProblem.Cause.NO_MAIL_SERVER, implicitMx
                    ? "no mail server found for " + request.domain() + ": no MX and no address"
                    : "MX host " + host + " has no address");
                ledger.permanentAtHost(problem);
            }
            return;
        }
        for (InetAddress address : addresses.records()) {
            if (ledger.done()) {
                return;
            }
            MxTarget target = new MxTarget(host, address, DeliverySettings.SMTP_PORT);
            SessionOutcome outcome = send(target, stance, request, application, ledger.pending());
            if (!step.outsidePolicy()) {
                recorder.session(target, stance, outcome);
            }
            ledger.step(target + " " + stance + ": " + outcome);
            if (outcome.kind() == SessionOutcome.Kind.TLS_FAILURE && step.fallsBackToOpportunistic()) {
                // RFC 8461 §5: in testing mode the failure is reported and the mail goes anyway.
                outcome = send(target, TlsStance.OPPORTUNISTIC, request, application, ledger.pending());
                ledger.step(target + " " + TlsStance.OPPORTUNISTIC + ": " + outcome);
            }
            settle(target, outcome, application.requireTls(), ledger);
        }
    }

    private SessionOutcome send(MxTarget target, TlsStance stance, DeliveryRequest request,
                                PolicyApplication application, List<String> recipients) {
        Envelope envelope = new Envelope(request.sender(), recipients, application.requireTls());
        return smtp.send(target, stance, envelope, request.content()).join();
    }

    private static void settle(MxTarget target, SessionOutcome outcome, boolean requireTls, RecipientLedger ledger) {
        String at = target.hostname() + "[" + target.address().getHostAddress() + "]";
        // Per-recipient fates first: RCPT TO refusals count even when the session failed later.
        for (RecipientOutcome recipient : outcome.recipients()) {
            DeliveryProblem problem = DeliveryProblem.reply(at + " said: " + recipient.reply(), recipient.reply());
            switch (recipient.status()) {
                case DELIVERED:
                    ledger.delivered(recipient.recipient(), target.hostname());
                    break;
                case PERMANENT_FAILURE:
                    ledger.bounce(recipient.recipient(), problem);
                    break;
                default:
                    ledger.temporary(problem);
            }
        }
        switch (outcome.kind()) {
            case COMPLETED:
                break;
            case PERMANENT_FAILURE:
                if (outcome.reply().isPresent()) {
                    ledger.bounceAll(DeliveryProblem.reply(at + " said: " + outcome.reply().get(), outcome.reply().get()));
                } else {
                    ledger.permanentAtHost(DeliveryProblem.of(DeliveryProblem.Cause.MESSAGE, at + ": " + outcome.detail()));
                }
                break;
            case TEMPORARY_FAILURE:
                ledger.temporary(outcome.reply()
                    .map(reply -> DeliveryProblem.reply(at + " said: " + reply, reply))
                    .orElseGet(() -> DeliveryProblem.of(DeliveryProblem.Cause.NETWORK, at + ": " + outcome.detail())));
                break;
            case TLS_FAILURE:
                // Only a verified session ends this way: RFC 8461 §4.2, the policy keeps the mail from this host.
                Failure failure = outcome.tlsFailure().orElseThrow();
                if (requireTls) {
                    // RFC 8689 §4.2.1: no REQUIRETLS message goes over unverified TLS; when no host verifies, 5.7.30.
                    ledger.permanentAtHost(DeliveryProblem.of(DeliveryProblem.Cause.REQUIRETLS, at + ": " + failure));
                } else {
                    ledger.withheldByPolicy(DeliveryProblem.mtaSts(at + ": " + failure.detail(), failure));
                }
                break;
            default:
                ledger.temporary(DeliveryProblem.of(DeliveryProblem.Cause.NETWORK, at + ": " + outcome.detail()));
        }
    }
}

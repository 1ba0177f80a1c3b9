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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Delivers one message to the recipients of one policy domain under MTA-STS (RFC 8461 §5): policy look-up,
 * MX hosts, their addresses, one SMTP session per address until every recipient is settled; every session
 * is reported to the {@link ResultSink}. Holds no thread while it waits: each step runs when the answer of
 * the one before it arrives. Thread-safe.
 */
public final class DomainDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(DomainDelivery.class);
    /** RFC 5321 §4.5.4: mail goes to port 25 of the MX hosts. */
    private static final int SMTP_PORT = 25;

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
    public CompletableFuture<DomainOutcome> deliver(DeliveryRequest request) {
        String domain = request.domain();
        EnforcementMode mode = enforcement.modeFor(domain);
        CompletableFuture<Optional<PolicyLookup>> lookup = PolicyApplication.needsLookup(mode, request.tlsRequirement())
            ? policies.resolve(domain).thenApply(Optional::of)
            : CompletableFuture.completedFuture(Optional.empty());
        return lookup
            .thenCompose(found -> apply(request, mode, PolicyApplication.decide(found, mode, request.tlsRequirement())))
            .whenComplete((outcome, error) -> {
                if (outcome != null) {
                    LOG.info("MTA-STS delivery to {}: {}; {}; outcome {}", domain, outcome.application(), outcome.steps(),
                        outcome.outcomes());
                }
            });
    }

    private CompletableFuture<DomainOutcome> apply(DeliveryRequest request, EnforcementMode mode, PolicyApplication application) {
        if (application.treatment() == PolicyApplication.Treatment.REFUSE) {
            // RFC 8461 §5.1 step 5: before the mail fails for want of an enforce policy, the record is checked again.
            return recheck(request, mode, application, new RecipientLedger(request.recipients()));
        }
        return attempt(request, application, request.recipients()).thenCompose(ledger ->
            application.treatment() == PolicyApplication.Treatment.ENFORCE && ledger.withheldByPolicy()
                ? recheck(request, mode, application, ledger)
                : CompletableFuture.completedFuture(outcome(request, application, ledger)));
    }

    /**
     * RFC 8461 §5.1 step 5: before mail fails because of an {@code enforce} policy (or for want of one, under
     * REQUIRETLS), check the TXT {@code id} again; when a new policy comes, try the pending recipients once more
     * under it.
     */
    private CompletableFuture<DomainOutcome> recheck(DeliveryRequest request, EnforcementMode mode,
                                                     PolicyApplication application, RecipientLedger ledger) {
        PolicyLookup used = application.lookup().orElseThrow();
        return policies.recheck(request.domain()).thenCompose(fresh -> {
            boolean unchanged = Objects.equals(fresh.id(), used.id()) && Objects.equals(fresh.policy(), used.policy());
            if (unchanged && application.treatment() != PolicyApplication.Treatment.REFUSE) {
                ledger.step("policy re-checked: unchanged");
                return CompletableFuture.completedFuture(outcome(request, application, ledger));
            }
            PolicyApplication renewed = PolicyApplication.decide(Optional.of(fresh), mode, request.tlsRequirement());
            ledger.step("policy re-checked: " + (unchanged ? "unchanged" : "now " + renewed));
            return attempt(request, renewed, ledger.pending()).thenApply(again -> {
                Map<String, DeliveryOutcome> outcomes = new LinkedHashMap<>(ledger.outcomes());
                outcomes.putAll(again.outcomes());
                List<String> steps = new ArrayList<>(ledger.steps());
                steps.addAll(again.steps());
                return new DomainOutcome(request.domain(), renewed, outcomes, steps);
            });
        });
    }

    private static DomainOutcome outcome(DeliveryRequest request, PolicyApplication application, RecipientLedger ledger) {
        return new DomainOutcome(request.domain(), application, ledger.outcomes(), ledger.steps());
    }

    private CompletableFuture<RecipientLedger> attempt(DeliveryRequest request, PolicyApplication application, List<String> recipients) {
        RecipientLedger ledger = new RecipientLedger(recipients);
        if (application.treatment() == PolicyApplication.Treatment.REFUSE) {
            ledger.bounceAll(DeliveryProblem.of(DeliveryProblem.Cause.REQUIRETLS, "the message requires TLS (REQUIRETLS)"
                + " but " + request.domain() + " has no MTA-STS policy in enforce mode to validate its MX hosts"));
            return CompletableFuture.completedFuture(ledger);
        }
        if (application.treatment() == PolicyApplication.Treatment.DEFER) {
            DeliveryProblem unknown = policyNotKnown(request.domain(), application);
            ledger.step("policy: " + unknown.detail());
            ledger.stopForNow(unknown);
            return CompletableFuture.completedFuture(ledger);
        }
        SessionRecorder recorder = new SessionRecorder(sink, clock, request.domain(), application, request.recordResults());
        return directory.mx(request.domain()).thenCompose(answer -> {
            MailServers servers = MailServers.of(request.domain(), answer, ThreadLocalRandom.current());
            Optional<DeliveryProblem> noServer = servers.problem();
            if (noServer.isPresent()) {
                ledger.step("MX: " + noServer.get().detail());
                if (noServer.get().cause() == DeliveryProblem.Cause.DNS) {
                    ledger.temporary(noServer.get());
                } else {
                    ledger.bounceAll(noServer.get());
                }
                return CompletableFuture.completedFuture(null);
            }
            return inTurn(MxPlan.of(application, servers.hosts()).steps(), ledger::done,
                step -> host(request, application, step, servers.implicit(), ledger, recorder));
        }).thenApply(done -> {
            recorder.finish();
            return ledger;
        });
    }

    /** Why the attempt waits without trying an MX host: the policy is not known (a temporary failure). */
    private static DeliveryProblem policyNotKnown(String domain, PolicyApplication application) {
        PolicyLookup lookup = application.lookup().orElseThrow();
        String why = lookup.status() == PolicyLookup.Status.TEMPORARY_FAILURE
            ? "the MTA-STS record _mta-sts." + domain + " could not be looked up (" + lookup.temporaryFailureDetail().orElse("") + ")"
            : "the MTA-STS policy of " + domain + " could not be had (" + lookup.failure().map(Failure::toString).orElse("") + ")";
        return application.requireTls()
            ? DeliveryProblem.of(DeliveryProblem.Cause.REQUIRETLS, why + "; REQUIRETLS needs it: trying again later")
            : DeliveryProblem.of(DeliveryProblem.Cause.DNS, why + "; trying again later rather than without it");
    }

    private CompletableFuture<Void> host(DeliveryRequest request, PolicyApplication application, MxPlan.Step step,
                                         boolean implicitMx, RecipientLedger ledger, SessionRecorder recorder) {
        if (step.outsidePolicy()) {
            Failure failure = recorder.outsidePolicy(step.host());
            ledger.step(step + ": " + failure);
            if (step.stance().isEmpty()) {
                ledger.withheldByPolicy(DeliveryProblem.mtaSts(failure.detail(), failure));
                return CompletableFuture.completedFuture(null);
            }
        }
        String host = step.host().hostname();
        return directory.addresses(host).thenCompose(addresses -> {
            if (!addresses.found()) {
                ledger.step(host + ": " + addresses.status());
                if (addresses.status() == DnsAnswer.Status.TEMPORARY_FAILURE) {
                    ledger.temporary(DeliveryProblem.of(DeliveryProblem.Cause.DNS, "address look-up failed: " + addresses.detail()));
                } else {
                    // RFC 5321 §5.1: no MX and no address means no mail server; an MX without address is skipped.
                    ledger.permanentAtHost(DeliveryProblem.of(DeliveryProblem.Cause.NO_MAIL_SERVER, implicitMx
                        ? "no mail server found for " + request.domain() + ": no MX and no address"
                        : "MX host " + host + " has no address"));
                }
                return CompletableFuture.completedFuture(null);
            }
            return inTurn(addresses.records(), ledger::done,
                address -> session(new MxTarget(host, address, SMTP_PORT), step, request, application, ledger, recorder));
        });
    }

    private CompletableFuture<Void> session(MxTarget target, MxPlan.Step step, DeliveryRequest request,
                                            PolicyApplication application, RecipientLedger ledger, SessionRecorder recorder) {
        TlsStance stance = step.stance().orElseThrow();
        return send(target, stance, request, application, ledger.pending()).thenCompose(outcome -> {
            if (!step.outsidePolicy()) {
                recorder.session(target, outcome);
            }
            ledger.step(target + " " + stance + ": " + outcome);
            if (outcome.kind() != SessionOutcome.Kind.TLS_FAILURE || !step.fallsBackToOpportunistic()) {
                return CompletableFuture.completedFuture(outcome);
            }
            // RFC 8461 §5: in testing mode the failure is reported and the mail goes anyway.
            return send(target, TlsStance.OPPORTUNISTIC, request, application, ledger.pending()).thenApply(fallback -> {
                ledger.step(target + " " + TlsStance.OPPORTUNISTIC + ": " + fallback);
                return fallback;
            });
        }).thenAccept(outcome -> settle(target, outcome, application.requireTls(), ledger));
    }

    private CompletableFuture<SessionOutcome> send(MxTarget target, TlsStance stance, DeliveryRequest request,
                                                   PolicyApplication application, List<String> recipients) {
        Envelope envelope = new Envelope(request.sender(), recipients, application.requireTls());
        return smtp.send(target, stance, envelope, request.content());
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
                ledger.bounceAll(said(at, outcome));
                break;
            case HOST_REFUSED:
                // RFC 5321 §5.1: this host will not take it; the next one may.
                ledger.permanentAtHost(said(at, outcome));
                break;
            case TEMPORARY_FAILURE:
                ledger.temporary(outcome.reply().isPresent() ? said(at, outcome)
                    : DeliveryProblem.of(DeliveryProblem.Cause.NETWORK, at + ": " + outcome.detail()));
                break;
            case TLS_FAILURE:
                // Only a verified session ends this way: RFC 8461 §4.2, the policy keeps the mail from this host.
                // RFC 8689 §4.2.1: a REQUIRETLS message never goes over unverified TLS either; a TLS failure may be
                // mended (a renewed certificate, a network that cut the handshake), so both wait and retry.
                Failure failure = outcome.tlsFailure().orElseThrow();
                ledger.withheldByPolicy(requireTls
                    ? DeliveryProblem.of(DeliveryProblem.Cause.REQUIRETLS, at + ": " + failure)
                    : DeliveryProblem.mtaSts(at + ": " + failure.detail(), failure));
                break;
            default:
                DeliveryProblem network = DeliveryProblem.of(outcome.maybeDelivered() ? DeliveryProblem.Cause.UNCONFIRMED
                    : DeliveryProblem.Cause.NETWORK, at + ": " + outcome.detail());
                if (outcome.maybeDelivered()) {
                    ledger.stopForNow(network);
                } else {
                    ledger.temporary(network);
                }
        }
    }

    private static DeliveryProblem said(String at, SessionOutcome outcome) {
        return outcome.reply()
            .map(reply -> DeliveryProblem.reply(at + " said: " + reply, reply))
            .orElseGet(() -> DeliveryProblem.of(DeliveryProblem.Cause.MESSAGE, at + ": " + outcome.detail()));
    }

    /** Runs {@code action} on each item, one after the other, until {@code done} says stop. */
    private static <T> CompletableFuture<Void> inTurn(List<T> items, BooleanSupplier done, Function<T, CompletableFuture<Void>> action) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (T item : items) {
            chain = chain.thenCompose(ignored -> done.getAsBoolean() ? CompletableFuture.completedFuture(null) : action.apply(item));
        }
        return chain;
    }
}

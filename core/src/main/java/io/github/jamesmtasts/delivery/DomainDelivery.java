package io.github.jamesmtasts.delivery;

import io.github.jamesmtasts.dane.HostTlsa;
import io.github.jamesmtasts.dns.DnsAnswer;
import io.github.jamesmtasts.policy.PolicyLookup;
import io.github.jamesmtasts.policy.PolicyResolver;
import io.github.jamesmtasts.result.Failure;
import io.github.jamesmtasts.result.ReportedPolicy;
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
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

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
    private static final BiConsumer<MxTarget, SessionOutcome> NOT_REPORTED = (target, outcome) -> { };

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
        DaneMode dane = request.tlsRequirement() == TlsRequirement.NOT_REQUIRED ? DaneMode.OFF : enforcement.daneFor(request.domain());
        if (application.treatment() == PolicyApplication.Treatment.REFUSE && dane != DaneMode.ON) {
            ledger.bounceAll(requireTlsRefused(request.domain()));
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
            // RFC 7672 §2.2.1: DANE applies only to MX hosts from a secure MX RRset (or a securely absent one).
            DaneMode applied = answer.secure() ? dane : DaneMode.OFF;
            if (application.treatment() == PolicyApplication.Treatment.REFUSE && applied == DaneMode.OFF) {
                ledger.bounceAll(requireTlsRefused(request.domain()));
                return CompletableFuture.completedFuture(null);
            }
            Run run = new Run(request, application, applied, servers.implicit(), ledger, recorder);
            return inTurn(MxPlan.of(application, servers.hosts()).steps(), ledger::done, run::host);
        }).thenApply(done -> {
            recorder.finish();
            return ledger;
        });
    }

    /** RFC 8689 §4.2.1: neither an enforce policy nor DANE can vouch for the next hop. */
    private static DeliveryProblem requireTlsRefused(String domain) {
        return DeliveryProblem.of(DeliveryProblem.Cause.REQUIRETLS, "the message requires TLS (REQUIRETLS) but "
            + domain + " has neither an MTA-STS policy in enforce mode nor DANE to authenticate its MX hosts");
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

    /**
     * One attempt's walk over the MX hosts of a domain: for each host, DANE first where it applies (RFC 8461 §2:
     * MTA-STS never overrides it), else the MTA-STS plan.
     */
    private final class Run {
        private final DeliveryRequest request;
        private final PolicyApplication application;
        private final DaneMode dane;
        private final boolean implicitMx;
        private final RecipientLedger ledger;
        private final SessionRecorder recorder;

        Run(DeliveryRequest request, PolicyApplication application, DaneMode dane, boolean implicitMx, RecipientLedger ledger,
            SessionRecorder recorder) {
            this.request = request;
            this.application = application;
            this.dane = dane;
            this.implicitMx = implicitMx;
            this.ledger = ledger;
            this.recorder = recorder;
        }

        CompletableFuture<Void> host(MxPlan.Step step) {
            if (dane == DaneMode.OFF) {
                return underMtaSts(step, Optional.empty(), false);
            }
            String host = step.host().hostname();
            return directory.addresses(host).thenCompose(addresses -> !addresses.found() || !addresses.secure()
                // RFC 7672 §2.2: without secure addresses there is no DANE for the host.
                ? underMtaSts(step, Optional.of(addresses), false)
                : DaneState.of(directory, host, addresses).thenCompose(state -> underDane(step, addresses, state)));
        }

        private CompletableFuture<Void> underDane(MxPlan.Step step, DnsAnswer<InetAddress> addresses, DaneState state) {
            ledger.step(step.host().hostname() + ": " + state);
            state.failure().ifPresent(failure -> recorder.hostFailure(step.host().hostname(), state.reportedPolicy(), failure));
            boolean reportOnly = dane == DaneMode.REPORT_ONLY;
            switch (state.kind()) {
                case BOGUS:
                    if (reportOnly) {
                        return underMtaSts(step, Optional.of(addresses), false);
                    }
                    // RFC 7672 §2.1.1: a TLSA answer that fails validation is a temporary failure of the host, not "no DANE".
                    ledger.temporary(DeliveryProblem.dane(step.host().hostname() + ": " + state.failure().orElseThrow().detail(),
                        state.failure().orElseThrow()));
                    return CompletableFuture.completedFuture(null);
                case UNUSABLE:
                    // RFC 7672 §2.2: records but none usable: TLS is still mandatory, if unauthenticated; where the
                    // MTA-STS plan asks more (verified TLS, or not this host), that stands.
                    return underMtaSts(step, Optional.of(addresses), !reportOnly);
                case USABLE:
                    return usable(step, addresses, state);
                default:
                    return underMtaSts(step, Optional.of(addresses), false);
            }
        }

        /** RFC 7672 §3: usable TLSA records decide; in report-only mode the MTA-STS plan follows a failure. */
        private CompletableFuture<Void> usable(MxPlan.Step step, DnsAnswer<InetAddress> addresses, DaneState state) {
            List<TlsStance> stances = new ArrayList<>();
            stances.add(TlsStance.DANE);
            if (dane == DaneMode.REPORT_ONLY) {
                if (step.stance().isEmpty()) {
                    // The MTA-STS plan keeps the mail from this host; report-only DANE must not send it there.
                    return underMtaSts(step, Optional.of(addresses), false);
                }
                stances.add(step.stance().get());
                if (step.fallsBackToOpportunistic()) {
                    stances.add(TlsStance.OPPORTUNISTIC);
                }
            }
            HostTlsa tlsa = state.tlsa().orElseThrow();
            ReportedPolicy policy = state.reportedPolicy();
            return sessions(step.host().hostname(), addresses, stances, target -> target.withTlsa(tlsa),
                (target, outcome) -> recorder.session(target, outcome, policy));
        }

        /**
         * The MTA-STS plan for a host, with its addresses when already known; {@code encrypt} makes TLS mandatory
         * where the plan would go without it (RFC 7672 §2.2, TLSA records that are all unusable).
         */
        private CompletableFuture<Void> underMtaSts(MxPlan.Step step, Optional<DnsAnswer<InetAddress>> known, boolean encrypt) {
            if (step.outsidePolicy()) {
                Failure failure = recorder.outsidePolicy(step.host());
                ledger.step(step + ": " + failure);
                if (step.stance().isEmpty()) {
                    ledger.withheldByPolicy(DeliveryProblem.mtaSts(failure.detail(), failure));
                    return CompletableFuture.completedFuture(null);
                }
            }
            if (step.stance().isEmpty()) {
                // REQUIRETLS without an enforce policy: only a host that DANE authenticates may have it.
                ledger.permanentAtHost(DeliveryProblem.of(DeliveryProblem.Cause.REQUIRETLS, "the message requires TLS"
                    + " (REQUIRETLS) but the MX host " + step.host().hostname() + " has no usable DANE TLSA records"));
                return CompletableFuture.completedFuture(null);
            }
            String host = step.host().hostname();
            List<TlsStance> planned = step.fallsBackToOpportunistic()
                ? List.of(step.stance().get(), TlsStance.OPPORTUNISTIC) : List.of(step.stance().get());
            List<TlsStance> stances = planned.stream()
                .map(stance -> encrypt && stance == TlsStance.OPPORTUNISTIC ? TlsStance.ENCRYPTED : stance)
                .collect(Collectors.toList());
            return known.map(CompletableFuture::completedFuture).orElseGet(() -> directory.addresses(host))
                .thenCompose(addresses -> sessions(host, addresses, stances, target -> target,
                    step.outsidePolicy() ? NOT_REPORTED : recorder::session));
        }

        /**
         * One session per address of the host until the recipients are settled. Each address is tried under the
         * first stance, and under the next one only when a session ended on TLS (RFC 8461 §5 {@code testing}, DANE
         * {@code report-only}); only the first session is handed to {@code report}.
         */
        private CompletableFuture<Void> sessions(String host, DnsAnswer<InetAddress> addresses, List<TlsStance> stances,
                                                 UnaryOperator<MxTarget> authenticate, BiConsumer<MxTarget, SessionOutcome> report) {
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
                address -> tries(authenticate.apply(new MxTarget(host, address, SMTP_PORT)), stances, 0, report));
        }

        private CompletableFuture<Void> tries(MxTarget target, List<TlsStance> stances, int index,
                                              BiConsumer<MxTarget, SessionOutcome> report) {
            TlsStance stance = stances.get(index);
            return send(target, stance, request, application, ledger.pending()).thenCompose(outcome -> {
                if (index == 0) {
                    report.accept(target, outcome);
                }
                ledger.step(target + " " + stance + ": " + outcome);
                if (outcome.kind() == SessionOutcome.Kind.TLS_FAILURE && index + 1 < stances.size()) {
                    return tries(target, stances, index + 1, report);
                }
                settle(target, stance, outcome, application.requireTls(), ledger);
                return CompletableFuture.completedFuture(null);
            });
        }
    }

    private CompletableFuture<SessionOutcome> send(MxTarget target, TlsStance stance, DeliveryRequest request,
                                                   PolicyApplication application, List<String> recipients) {
        Envelope envelope = new Envelope(request.sender(), recipients, application.requireTls());
        return smtp.send(target, stance, envelope, request.content());
    }

    private static void settle(MxTarget target, TlsStance stance, SessionOutcome outcome, boolean requireTls, RecipientLedger ledger) {
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
                // Only a mandatory stance ends this way: RFC 8461 §4.2 (verified) and RFC 7672 §2.2 (DANE, encrypted)
                // keep the mail from this host. RFC 8689 §4.2.1: a REQUIRETLS message never goes over unverified TLS
                // either; a TLS failure may be mended (a renewed certificate, a network that cut the handshake), so
                // all of them wait and retry.
                Failure failure = outcome.tlsFailure().orElseThrow();
                ledger.withheldByPolicy(requireTls ? DeliveryProblem.of(DeliveryProblem.Cause.REQUIRETLS, at + ": " + failure)
                    : stance == TlsStance.VERIFIED ? DeliveryProblem.mtaSts(at + ": " + failure.detail(), failure)
                    : DeliveryProblem.dane(at + ": " + failure.detail(), failure));
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

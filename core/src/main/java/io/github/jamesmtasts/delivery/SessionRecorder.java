package io.github.jamesmtasts.delivery;

import io.github.jamesmtasts.dns.MxHost;
import io.github.jamesmtasts.policy.PolicyLookup;
import io.github.jamesmtasts.result.Failure;
import io.github.jamesmtasts.result.ReportedPolicy;
import io.github.jamesmtasts.result.ResultSink;
import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.result.SessionResult;
import io.github.jamesmtasts.smtp.MxTarget;
import io.github.jamesmtasts.smtp.SessionOutcome;

import java.time.Clock;

/**
 * Turns what happened towards one policy domain in one delivery attempt into TLS-RPT session results
 * (RFC 8460 §4.3, §4.4) and hands them to the {@link ResultSink}; records nothing when the delivery is not
 * reported.
 *
 * <p>Each session is counted once, with the first thing that went wrong on its way, or as a success:
 * <ol>
 *   <li>the policy could not be had (RFC 8460 §4.3.2: {@code sts-policy-fetch-error}, {@code sts-policy-invalid},
 *       {@code sts-webpki-invalid}), whether or not a cached policy stood in: counted once per attempt, on its
 *       first new session, or alone when the attempt made none;</li>
 *   <li>the MX host is not in the policy ({@code validation-failure}, reason {@code mx-not-in-policy});</li>
 *   <li>TLS failed (the STARTTLS and certificate types), also when an opportunistic session then went on in
 *       plaintext;</li>
 *   <li>no STARTTLS: an opportunistic session that completed in plaintext ({@code starttls-not-supported}).</li>
 * </ol>
 * A further message on a connection that already carried mail for the domain is no new session, and a
 * session that ended before any TLS negotiation (no connection, a refused greeting) says nothing about TLS.
 *
 * <p>A session under DANE (RFC 7672) is reported with the policy it was held to, {@code tlsa} and the host's TLSA
 * records ({@link #session(MxTarget, SessionOutcome, ReportedPolicy)}), and is counted whenever the delivery is
 * reported at all, also when MTA-STS was not looked up; an MX host that DANE kept from a session is counted once
 * with its failure ({@link #hostFailure}).
 */
final class SessionRecorder {
    /** The {@code failure-reason-code} of an MX host that the policy does not list. */
    static final String MX_NOT_IN_POLICY = "mx-not-in-policy";

    private final ResultSink sink;
    private final Clock clock;
    private final String domain;
    private final PolicyApplication application;
    private final boolean enabled;
    private final boolean stsReported;
    private Failure policyFailure;

    SessionRecorder(ResultSink sink, Clock clock, String domain, PolicyApplication application, boolean enabled) {
        this.sink = sink;
        this.clock = clock;
        this.domain = domain;
        this.application = application;
        this.enabled = enabled;
        this.stsReported = enabled && application.reported();
        this.policyFailure = application.lookup().flatMap(PolicyLookup::failure).orElse(null);
    }

    /** RFC 8461 §4.1: an MX host that matches none of the policy's {@code mx} patterns. */
    Failure outsidePolicy(MxHost host) {
        Failure failure = Failure.of(ResultType.VALIDATION_FAILURE,
            "MX host " + host.hostname() + " does not match the MTA-STS policy of " + domain, MX_NOT_IN_POLICY);
        if (stsReported) {
            record(result(application.reportedPolicy()).receivingMxHostname(host.hostname()).failure(failure));
        }
        return failure;
    }

    /** An MX host that DANE kept from a session, or let go unauthenticated (RFC 7672 §2.1.1, §2.2). */
    void hostFailure(String hostname, ReportedPolicy policy, Failure failure) {
        if (enabled) {
            record(result(policy).receivingMxHostname(hostname).failure(failure));
        }
    }

    /** One session with one address of an MX host under the domain's MTA-STS application, counted as the class comment says. */
    void session(MxTarget target, SessionOutcome outcome) {
        if (stsReported) {
            count(target, outcome, application.reportedPolicy(), true);
        }
    }

    /** One session held to another policy than MTA-STS: DANE's TLSA records. */
    void session(MxTarget target, SessionOutcome outcome, ReportedPolicy policy) {
        if (enabled) {
            count(target, outcome, policy, false);
        }
    }

    private void count(MxTarget target, SessionOutcome outcome, ReportedPolicy policy, boolean carriesPolicyFailure) {
        if (!outcome.newSessionForDomain()) {
            return;
        }
        SessionResult.Builder result = result(policy)
            .receivingMxHostname(target.hostname())
            .receivingIp(target.address().getHostAddress());
        outcome.localAddress().ifPresent(result::sendingMtaIp);
        Failure failure = outcome.tlsFailure().orElse(null);
        boolean negotiated = failure != null || outcome.tlsEstablished();
        if (!negotiated && outcome.kind() == SessionOutcome.Kind.COMPLETED) {
            failure = Failure.of(ResultType.STARTTLS_NOT_SUPPORTED, "the message went to " + target + " without TLS");
        } else if (!negotiated) {
            return;
        }
        if (carriesPolicyFailure && policyFailure != null) {
            failure = policyFailure;
            policyFailure = null;
        }
        record(failure == null ? result : result.failure(failure));
    }

    /** The end of the attempt: a policy failure that no session carried is counted alone. */
    void finish() {
        if (stsReported && policyFailure != null) {
            record(result(application.reportedPolicy()).failure(policyFailure));
        }
        policyFailure = null;
    }

    private SessionResult.Builder result(ReportedPolicy policy) {
        return SessionResult.builder().time(clock.instant()).policyDomain(domain).policy(policy);
    }

    private void record(SessionResult.Builder result) {
        sink.record(result.build());
    }
}

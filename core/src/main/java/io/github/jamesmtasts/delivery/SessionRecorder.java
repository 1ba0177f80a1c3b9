package io.github.jamesmtasts.delivery;

import io.github.jamesmtasts.dns.MxHost;
import io.github.jamesmtasts.policy.PolicyLookup;
import io.github.jamesmtasts.result.Failure;
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
 */
final class SessionRecorder {
    /** The {@code failure-reason-code} of an MX host that the policy does not list. */
    static final String MX_NOT_IN_POLICY = "mx-not-in-policy";

    private final ResultSink sink;
    private final Clock clock;
    private final String domain;
    private final PolicyApplication application;
    private final boolean enabled;
    private Failure policyFailure;

    SessionRecorder(ResultSink sink, Clock clock, String domain, PolicyApplication application, boolean enabled) {
        this.sink = sink;
        this.clock = clock;
        this.domain = domain;
        this.application = application;
        this.enabled = enabled && application.reported();
        this.policyFailure = application.lookup().flatMap(PolicyLookup::failure).orElse(null);
    }

    /** RFC 8461 §4.1: an MX host that matches none of the policy's {@code mx} patterns. */
    Failure outsidePolicy(MxHost host) {
        Failure failure = Failure.of(ResultType.VALIDATION_FAILURE,
            "MX host " + host.hostname() + " does not match the MTA-STS policy of " + domain, MX_NOT_IN_POLICY);
        record(result().receivingMxHostname(host.hostname()).failure(failure));
        return failure;
    }

    /** One session with one address of an MX host, counted as the class comment says. */
    void session(MxTarget target, SessionOutcome outcome) {
        if (!outcome.newSessionForDomain()) {
            return;
        }
        SessionResult.Builder result = result()
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
        if (policyFailure != null) {
            failure = policyFailure;
            policyFailure = null;
        }
        record(failure == null ? result : result.failure(failure));
    }

    /** The end of the attempt: a policy failure that no session carried is counted alone. */
    void finish() {
        if (policyFailure != null) {
            record(result().failure(policyFailure));
            policyFailure = null;
        }
    }

    private SessionResult.Builder result() {
        return SessionResult.builder().time(clock.instant()).policyDomain(domain).policy(application.reportedPolicy());
    }

    private void record(SessionResult.Builder result) {
        if (enabled) {
            sink.record(result.build());
        }
    }
}

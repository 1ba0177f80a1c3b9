package io.github.jamesmtasts.delivery;

import io.github.jamesmtasts.dns.MxHost;
import io.github.jamesmtasts.result.Failure;
import io.github.jamesmtasts.result.ResultSink;
import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.result.SessionResult;
import io.github.jamesmtasts.smtp.MxTarget;
import io.github.jamesmtasts.smtp.SessionOutcome;
import io.github.jamesmtasts.smtp.TlsStance;

import java.time.Clock;

/**
 * Turns what happened towards one policy domain into TLS-RPT session results (RFC 8460 §4.3, §4.4)
 * and hands them to the {@link ResultSink}; records nothing when the delivery is not reported.
 */
final class SessionRecorder {
    /** The {@code failure-reason-code} of an MX host that the policy does not list. */
    static final String MX_NOT_IN_POLICY = "mx-not-in-policy";

    private final ResultSink sink;
    private final Clock clock;
    private final String domain;
    private final PolicyApplication application;
    private final boolean enabled;

    SessionRecorder(ResultSink sink, Clock clock, String domain, PolicyApplication application, boolean enabled) {
        this.sink = sink;
        this.clock = clock;
        this.domain = domain;
        this.application = application;
        this.enabled = enabled && application.reported();
    }

    /** RFC 8461 §4.1: an MX host that matches none of the policy's {@code mx} patterns. */
    Failure outsidePolicy(MxHost host) {
        Failure failure = Failure.of(ResultType.VALIDATION_FAILURE,
            "MX host " + host.hostname() + " does not match the MTA-STS policy of " + domain, MX_NOT_IN_POLICY);
        record(result().receivingMxHostname(host.hostname()).failure(failure));
        return failure;
    }

    /** RFC 8460 §4.3.2: the policy could not be had, so no session ran under it. */
    void policyFailure(Failure failure) {
        record(result().failure(failure));
    }

    /**
     * One session: a success once TLS was established, the classified failure when TLS failed, and
     * {@code starttls-not-supported} when an opportunistic session completed in plaintext. Sessions that
     * ended before any TLS negotiation say nothing about TLS and are not results.
     */
    void session(MxTarget target, TlsStance stance, SessionOutcome outcome) {
        SessionResult.Builder result = result()
            .receivingMxHostname(target.hostname())
            .receivingIp(target.address().getHostAddress());
        outcome.localAddress().ifPresent(result::sendingMtaIp);
        if (outcome.kind() == SessionOutcome.Kind.TLS_FAILURE) {
            record(result.failure(outcome.tlsFailure().orElseThrow()));
        } else if (outcome.tlsEstablished()) {
            record(result);
        } else if (stance == TlsStance.OPPORTUNISTIC && outcome.kind() == SessionOutcome.Kind.COMPLETED) {
            record(result.failure(Failure.of(ResultType.STARTTLS_NOT_SUPPORTED,
                "the message went to " + target + " without TLS")));
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

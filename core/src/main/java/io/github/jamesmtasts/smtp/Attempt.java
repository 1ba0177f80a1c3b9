package io.github.jamesmtasts.smtp;

import io.github.jamesmtasts.result.Failure;

import java.util.ArrayList;
import java.util.List;

/**
 * What one {@link SmtpSender#send} call has seen so far: the transcript, the step it is at, the
 * connection's local address, whether TLS is up or failed, whether the connection is new for the
 * recipients' domain, and the recipients already refused. Whatever way the attempt ends,
 * {@link #ended} or the transaction's own outcome is built from it.
 */
final class Attempt {
    private final Transcript transcript = new Transcript();
    private final List<RecipientOutcome> refused = new ArrayList<>();
    private volatile SmtpStep step = SmtpStep.CONNECT;
    private volatile String localAddress;
    private volatile boolean tlsEstablished;
    private volatile Failure tlsFailure;
    private volatile boolean newSessionForDomain = true;

    Transcript transcript() {
        return transcript;
    }

    void at(SmtpStep next) {
        this.step = next;
    }

    SmtpStep step() {
        return step;
    }

    /**
     * The session this attempt runs on: its local address and TLS state, and whether it already carried mail
     * for the recipients' domain (then it is no new session for that domain's TLS-RPT counts).
     */
    void on(SmtpSession session, String domain) {
        this.localAddress = session.localAddress();
        this.tlsEstablished = session.tlsEstablished();
        this.newSessionForDomain = session.carry(domain);
    }

    void connectedFrom(String address) {
        this.localAddress = address;
    }

    /** TLS came up on the connection (it may still fail later, at the second EHLO). */
    void tlsEstablished() {
        this.tlsEstablished = true;
    }

    /** An opportunistic TLS attempt failed and the session goes on without TLS: the failure is still reported. */
    void tlsFailed(Failure failure) {
        this.tlsFailure = failure;
    }

    synchronized void refused(RecipientOutcome recipient) {
        refused.add(recipient);
    }

    /** An outcome of {@code kind} at the current step, with what the attempt knows. */
    synchronized SessionOutcome.Builder outcome(SessionOutcome.Kind kind) {
        return SessionOutcome.builder(kind)
            .step(step)
            .recipients(List.copyOf(refused))
            .tlsEstablished(tlsEstablished)
            .tlsFailure(tlsFailure)
            .localAddress(localAddress)
            .newSessionForDomain(newSessionForDomain)
            .transcript(transcript.lines());
    }

    /** The outcome of an attempt that ended early, for {@code error}. */
    SessionOutcome ended(Throwable error) {
        SessionEnd end = SessionEnd.of(error, step);
        transcript.note(end.kind() + ": " + end.getMessage());
        SessionOutcome.Builder outcome = outcome(end.kind())
            .step(end.step())
            .reply(end.reply())
            .detail(end.getMessage());
        if (end.tlsFailure() != null) {
            outcome.tlsFailure(end.tlsFailure());
        }
        return outcome.build();
    }
}

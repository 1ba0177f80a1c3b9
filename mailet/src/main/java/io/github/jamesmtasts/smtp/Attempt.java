package io.github.jamesmtasts.smtp;

import java.util.ArrayList;
import java.util.List;

/**
 * What one {@link SmtpSender#send} call has seen so far: the transcript, the step it is at, the
 * connection's local address, whether TLS is up, and the recipients already refused. Whatever
 * way the attempt ends, {@link #ended} or the transaction's own outcome is built from it.
 */
final class Attempt {
    private final Transcript transcript = new Transcript();
    private final List<RecipientOutcome> refused = new ArrayList<>();
    private volatile SmtpStep step = SmtpStep.CONNECT;
    private volatile String localAddress;
    private volatile boolean tlsEstablished;

    Transcript transcript() {
        return transcript;
    }

    void at(SmtpStep next) {
        this.step = next;
    }

    SmtpStep step() {
        return step;
    }

    /** The session this attempt runs on: its local address and TLS state. */
    void on(SmtpSession session) {
        this.localAddress = session.localAddress();
        this.tlsEstablished = session.tlsEstablished();
    }

    void connectedFrom(String address) {
        this.localAddress = address;
    }

    /** TLS came up on the connection (it may still fail later, at the second EHLO). */
    void tlsEstablished() {
        this.tlsEstablished = true;
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
            .localAddress(localAddress)
            .transcript(transcript.lines());
    }

    /** The outcome of an attempt that ended early, for {@code error}. */
    SessionOutcome ended(Throwable error) {
        SessionEnd end = SessionEnd.of(error, step);
        transcript.note(end.kind() + ": " + end.getMessage());
        return outcome(end.kind())
            .step(end.step())
            .reply(end.reply())
            .tlsFailure(end.tlsFailure())
            .detail(end.getMessage())
            .build();
    }
}

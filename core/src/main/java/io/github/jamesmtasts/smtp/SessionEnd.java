package io.github.jamesmtasts.smtp;

import io.github.jamesmtasts.result.Failure;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;

/**
 * Why a session ended before its transaction completed, already classified: the outcome kind, the
 * step, and the reply or TLS failure that decided it. Thrown through the session's futures and
 * turned into a {@link SessionOutcome} at the end; {@link #of} classifies any other error.
 */
final class SessionEnd extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final SessionOutcome.Kind kind;
    private final SmtpStep step;
    private final transient SmtpReply reply;
    private final transient Failure tlsFailure;

    private SessionEnd(SessionOutcome.Kind kind, SmtpStep step, SmtpReply reply, Failure tlsFailure, String detail, Throwable cause) {
        super(detail, cause, false, false);
        this.kind = kind;
        this.step = step;
        this.reply = reply;
        this.tlsFailure = tlsFailure;
    }

    /**
     * The server answered {@code reply} where a positive one was needed: 4yz for now, 5yz for good (RFC 5321
     * §4.2.1). A 5yz to the greeting or to {@code EHLO} refuses this host, not the message: the next MX host is
     * tried (RFC 5321 §5.1), as Postfix does.
     */
    static SessionEnd refused(SmtpStep step, SmtpReply reply) {
        SessionOutcome.Kind kind = !reply.isPermanentFailure() ? SessionOutcome.Kind.TEMPORARY_FAILURE
            : step == SmtpStep.GREETING || step == SmtpStep.EHLO ? SessionOutcome.Kind.HOST_REFUSED
            : SessionOutcome.Kind.PERMANENT_FAILURE;
        return new SessionEnd(kind, step, reply, null, "the MX answered " + reply + " at " + step, null);
    }

    /**
     * The message cannot go to this server (its SIZE, no 8BITMIME, SMTPUTF8 or REQUIRETLS); {@code localReply}
     * says why, as a bounce will quote it. Another MX host may take it (RFC 5321 §5.1).
     */
    static SessionEnd cannotSend(SmtpReply localReply) {
        return new SessionEnd(SessionOutcome.Kind.HOST_REFUSED, SmtpStep.MAIL, localReply, null,
            "not sent: " + localReply, null);
    }

    /**
     * The server broke the protocol (a positive reply other than 354 to {@code DATA}, say): nothing was sent,
     * the connection is no longer usable, and the message is tried again later.
     */
    static SessionEnd protocolError(SmtpStep step, SmtpReply reply) {
        return new SessionEnd(SessionOutcome.Kind.TEMPORARY_FAILURE, step, reply, null,
            "protocol error: the MX answered " + reply + " at " + step, null);
    }

    /** TLS could not be had as the stance demands. */
    static SessionEnd tls(SmtpStep step, Failure failure) {
        return new SessionEnd(SessionOutcome.Kind.TLS_FAILURE, step, null, failure, failure.detail(), null);
    }

    /** The message could not be read while it was being sent: retry later, it is no fault of the MX. */
    static SessionEnd unreadableMessage(Exception cause) {
        return new SessionEnd(SessionOutcome.Kind.TEMPORARY_FAILURE, SmtpStep.MESSAGE, null, null,
            "the message could not be read: " + cause, cause);
    }

    /**
     * Classifies an error met at {@code step}: a {@link SessionEnd} stays as it is; refused
     * connections, timeouts, resets, closes and unreadable replies are network failures; anything
     * else is an unexpected local error, a temporary failure so that the message is retried.
     */
    static SessionEnd of(Throwable error, SmtpStep step) {
        Throwable cause = unwrap(error);
        if (cause instanceof SessionEnd) {
            return (SessionEnd) cause;
        }
        if (cause instanceof StepTimeoutException) {
            return network(((StepTimeoutException) cause).step(), cause.getMessage(), cause);
        }
        if (cause instanceof ConnectTimeoutException || cause instanceof ConnectException) {
            return network(SmtpStep.CONNECT, "cannot connect: " + cause.getMessage(), cause);
        }
        if (cause instanceof IOException) {
            return network(step, "connection failed at " + step + ": " + cause.getMessage(), cause);
        }
        if (cause instanceof DecoderException) {
            return network(step, "unreadable data from the MX at " + step + ": " + cause.getMessage(), cause);
        }
        return new SessionEnd(SessionOutcome.Kind.TEMPORARY_FAILURE, step, null, null, "unexpected error at " + step + ": " + cause, cause);
    }

    /**
     * As {@link #of}, but ended at {@code step} whatever step the error names: when a pipelined group breaks, the
     * first timer or failure is its first command's, and only the replies that came tell how far it got.
     */
    static SessionEnd at(SmtpStep step, Throwable error) {
        SessionEnd end = of(error, step);
        return end.step == step ? end : new SessionEnd(end.kind, step, end.reply, end.tlsFailure, end.getMessage(), end.getCause());
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static SessionEnd network(SmtpStep step, String detail, Throwable cause) {
        return new SessionEnd(SessionOutcome.Kind.NETWORK_FAILURE, step, null, null, detail, cause);
    }

    SessionOutcome.Kind kind() {
        return kind;
    }

    SmtpStep step() {
        return step;
    }

    SmtpReply reply() {
        return reply;
    }

    Failure tlsFailure() {
        return tlsFailure;
    }
}

package io.github.jamesmtasts.smtp;

import java.util.Objects;

/** What became of one recipient in a session: delivered, or refused for now or for good, with the reply. */
public final class RecipientOutcome {
    /** The three fates of a recipient (RFC 5321 §4.2.1: 2yz, 4yz, 5yz). */
    public enum Status { DELIVERED, TEMPORARY_FAILURE, PERMANENT_FAILURE }

    private final String recipient;
    private final Status status;
    private final SmtpReply reply;

    public RecipientOutcome(String recipient, Status status, SmtpReply reply) {
        this.recipient = Objects.requireNonNull(recipient, "recipient");
        this.status = Objects.requireNonNull(status, "status");
        this.reply = Objects.requireNonNull(reply, "reply");
    }

    public String recipient() {
        return recipient;
    }

    public Status status() {
        return status;
    }

    /** The reply that decided it: to {@code RCPT TO}, or to the end of {@code DATA}. */
    public SmtpReply reply() {
        return reply;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RecipientOutcome)) {
            return false;
        }
        RecipientOutcome other = (RecipientOutcome) o;
        return recipient.equals(other.recipient) && status == other.status && reply.equals(other.reply);
    }

    @Override
    public int hashCode() {
        return Objects.hash(recipient, status, reply);
    }

    @Override
    public String toString() {
        return recipient + " " + status + " (" + reply + ")";
    }
}

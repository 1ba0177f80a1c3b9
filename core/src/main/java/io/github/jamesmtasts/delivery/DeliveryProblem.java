package io.github.jamesmtasts.delivery;

import io.github.jamesmtasts.result.Failure;
import io.github.jamesmtasts.smtp.SmtpReply;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a recipient was not delivered: a classified cause, a sentence for logs and bounces, and where they
 * apply the SMTP reply that said so and the MTA-STS failure by its RFC 8460 result type.
 */
public final class DeliveryProblem {
    /** The classes of problem, each with the enhanced status code (RFC 3463) that names it when no reply does. */
    public enum Cause {
        /** An SMTP reply refused the message or the recipient: its own codes apply. */
        SMTP_REPLY("3.0"),
        /** No SMTP server answered: connection refused, reset or timed out (X.4.1). */
        NETWORK("4.1"),
        /** A DNS question could not be answered for now (X.4.3). */
        DNS("4.3"),
        /**
         * The MX may have the message: the final dot went out and no reply came (RFC 5321 §6.1). Retried later,
         * never at once elsewhere (X.4.2, bad connection).
         */
        UNCONFIRMED("4.2"),
        /** The domain does not exist, or has neither MX nor address (RFC 5321 §5.1, X.1.2). */
        NO_MAIL_SERVER("1.2"),
        /** RFC 7505: the domain publishes a null MX: it accepts no mail (X.1.10). */
        NULL_MX("1.10"),
        /** RFC 8461 §5.1: the MTA-STS policy withheld the mail from every MX host (X.7.5, cryptographic failure). */
        MTA_STS("7.5"),
        /** RFC 7672 §2.2: the MX host's TLSA records withheld the mail from it (X.7.5, cryptographic failure). */
        DANE("7.5"),
        /** RFC 8689 §4.2.1: REQUIRETLS cannot be honoured for this domain (X.7.30). */
        REQUIRETLS("7.30"),
        /** The message cannot go this way (size, 8BITMIME, SMTPUTF8, an internal error) (X.3.0). */
        MESSAGE("3.0");

        private final String subjectDetail;

        Cause(String subjectDetail) {
            this.subjectDetail = subjectDetail;
        }
    }

    private final Cause cause;
    private final String detail;
    private final SmtpReply reply;
    private final Failure failure;

    private DeliveryProblem(Cause cause, String detail, SmtpReply reply, Failure failure) {
        this.cause = Objects.requireNonNull(cause, "cause");
        this.detail = Objects.requireNonNull(detail, "detail");
        this.reply = reply;
        this.failure = failure;
    }

    public static DeliveryProblem of(Cause cause, String detail) {
        return new DeliveryProblem(cause, detail, null, null);
    }

    /** A problem stated by an SMTP reply. */
    public static DeliveryProblem reply(String detail, SmtpReply reply) {
        return new DeliveryProblem(Cause.SMTP_REPLY, detail, Objects.requireNonNull(reply, "reply"), null);
    }

    /** The MTA-STS policy withheld the mail; {@code failure} is the RFC 8460 classification. */
    public static DeliveryProblem mtaSts(String detail, Failure failure) {
        return new DeliveryProblem(Cause.MTA_STS, detail, null, Objects.requireNonNull(failure, "failure"));
    }

    /** DANE withheld the mail from an MX host; {@code failure} is the RFC 8460 classification. */
    public static DeliveryProblem dane(String detail, Failure failure) {
        return new DeliveryProblem(Cause.DANE, detail, null, Objects.requireNonNull(failure, "failure"));
    }

    public Cause cause() {
        return cause;
    }

    /** Whether a TLS requirement (an MTA-STS policy, DANE or REQUIRETLS) is why the mail did not go. */
    public boolean isTlsRequirement() {
        return cause == Cause.MTA_STS || cause == Cause.DANE || cause == Cause.REQUIRETLS;
    }

    /** A sentence for logs and bounces. */
    public String detail() {
        return detail;
    }

    public Optional<SmtpReply> reply() {
        return Optional.ofNullable(reply);
    }

    /** The TLS failure by RFC 8460 result type, for {@link Cause#MTA_STS} and {@link Cause#DANE}. */
    public Optional<Failure> failure() {
        return Optional.ofNullable(failure);
    }

    /** The SMTP reply code that goes with the problem: the reply's, or 556 for a null MX (RFC 7505 §4.3). */
    public Optional<Integer> smtpCode() {
        if (reply != null) {
            return Optional.of(reply.code());
        }
        return cause == Cause.NULL_MX ? Optional.of(556) : Optional.empty();
    }

    /**
     * The enhanced status code (RFC 3463) for a DSN: the reply's when it has one, else the cause's,
     * with class 5 when the failure is {@code permanent} and 4 when it is not.
     */
    public String enhancedStatus(boolean permanent) {
        String subjectDetail = reply != null && reply.enhancedCode().isPresent()
            ? reply.enhancedCode().get().substring(2)
            : cause.subjectDetail;
        return (permanent ? "5." : "4.") + subjectDetail;
    }

    /**
     * One line for a DSN and James's {@code delivery-error} attribute: the SMTP code when there is one, the
     * enhanced status code, the MTA-STS result type (RFC 8460) when MTA-STS is why, and the detail.
     */
    public String describe(boolean permanent) {
        StringBuilder line = new StringBuilder();
        smtpCode().ifPresent(code -> line.append(code).append(' '));
        line.append(enhancedStatus(permanent)).append(' ');
        if (failure != null) {
            line.append("MTA-STS ").append(failure.type().code());
            failure.reasonCode().ifPresent(code -> line.append(" (").append(code).append(')'));
            line.append(": ");
        }
        return line.append(detail).toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeliveryProblem)) {
            return false;
        }
        DeliveryProblem other = (DeliveryProblem) o;
        return cause == other.cause && detail.equals(other.detail) && Objects.equals(reply, other.reply)
            && Objects.equals(failure, other.failure);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cause, detail, reply, failure);
    }

    @Override
    public String toString() {
        return cause + ": " + detail + (failure == null ? "" : " [" + failure.type().code()
            + failure.reasonCode().map(code -> " " + code).orElse("") + "]");
    }
}

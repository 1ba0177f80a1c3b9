package io.github.jamesmtasts.smtp;

import io.github.jamesmtasts.result.Failure;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How one SMTP session with one MX address ended. Exactly one {@link Kind}; per-recipient fates
 * when the transaction got that far; the TLS failure, named by its RFC 8460 result type, when TLS
 * is why it ended; and the transcript of replies for logs and bounces.
 */
public final class SessionOutcome {
    /** The classes of ending that delivery acts on. */
    public enum Kind {
        /** The transaction completed: see {@link #recipients()} for who was accepted (maybe not all). */
        COMPLETED,
        /** A reply before or at {@code DATA} refused the whole message for now (4yz). */
        TEMPORARY_FAILURE,
        /** A reply to {@code MAIL}, {@code DATA} or the final dot refused the whole message for good (5yz). */
        PERMANENT_FAILURE,
        /**
         * This MX host refused the session (5yz to the greeting or {@code EHLO}) or cannot take this message
         * (its {@code SIZE}, no 8BITMIME, SMTPUTF8 or REQUIRETLS): another MX host may (RFC 5321 §5.1).
         */
        HOST_REFUSED,
        /** Connection refused, reset or timed out; no useful reply. */
        NETWORK_FAILURE,
        /** TLS could not be had as the stance demands; {@link #tlsFailure()} says why. Nothing was sent. */
        TLS_FAILURE
    }

    private final Kind kind;
    private final List<RecipientOutcome> recipients;
    private final Failure tlsFailure;
    private final boolean tlsEstablished;
    private final SmtpReply reply;
    private final SmtpStep step;
    private final String detail;
    private final String localAddress;
    private final boolean newSessionForDomain;
    private final List<String> transcript;

    private SessionOutcome(Builder builder) {
        this.kind = Objects.requireNonNull(builder.kind, "kind");
        this.recipients = List.copyOf(builder.recipients);
        this.tlsFailure = builder.tlsFailure;
        this.tlsEstablished = builder.tlsEstablished;
        this.reply = builder.reply;
        this.step = builder.step;
        this.detail = Objects.requireNonNull(builder.detail, "detail");
        this.localAddress = builder.localAddress;
        this.newSessionForDomain = builder.newSessionForDomain;
        this.transcript = List.copyOf(builder.transcript);
        if (kind == Kind.TLS_FAILURE && tlsFailure == null) {
            throw new IllegalArgumentException("a TLS failure needs its RFC 8460 classification");
        }
    }

    public static Builder builder(Kind kind) {
        return new Builder(kind);
    }

    public Kind kind() {
        return kind;
    }

    /**
     * Per-recipient fates; empty unless the session reached {@code RCPT TO}. A recipient that the
     * server accepted but whose message then failed carries the reply that failed it; when the
     * session broke off (network failure) before the end of {@code DATA}, only the recipients
     * already refused by {@code RCPT TO} are listed: the others have no fate yet.
     */
    public List<RecipientOutcome> recipients() {
        return recipients;
    }

    /**
     * Why TLS failed, by RFC 8460 result type: what ended the session (kind {@link Kind#TLS_FAILURE}), or, with
     * another kind, the failed opportunistic attempt after which the session went on in plaintext.
     */
    public Optional<Failure> tlsFailure() {
        return Optional.ofNullable(tlsFailure);
    }

    /** Whether the session ran over TLS (after STARTTLS succeeded). */
    public boolean tlsEstablished() {
        return tlsEstablished;
    }

    /** The reply that ended the session, when a reply did. */
    public Optional<SmtpReply> reply() {
        return Optional.ofNullable(reply);
    }

    /** The step the session ended at ({@link SmtpStep#DATA_END} when it completed), when known. */
    public Optional<SmtpStep> step() {
        return Optional.ofNullable(step);
    }

    /** A sentence for logs and bounces. */
    public String detail() {
        return detail;
    }

    /** The local (sending MTA) IP address of the connection, when one was made. */
    public Optional<String> localAddress() {
        return Optional.ofNullable(localAddress);
    }

    /**
     * RFC 5321 §6.1: the final dot was sent and no reply came (a time-out or a cut connection). The MX may
     * have taken the message; sending it to another MX now would likely duplicate it.
     */
    public boolean maybeDelivered() {
        return kind == Kind.NETWORK_FAILURE && step == SmtpStep.DATA_END;
    }

    /**
     * Whether this is the first transaction for its recipients' domain on its connection: a new TLS session
     * for that domain's TLS-RPT counts (RFC 8460 §4.4). False for further messages on a reused connection.
     */
    public boolean newSessionForDomain() {
        return newSessionForDomain;
    }

    /** Commands and replies of the session, for logs and DSNs. */
    public List<String> transcript() {
        return transcript;
    }

    @Override
    public String toString() {
        return kind + (step == null ? "" : " at " + step) + ": " + detail + (tlsFailure == null ? "" : " [" + tlsFailure + "]");
    }

    /** Builds a {@link SessionOutcome}. */
    public static final class Builder {
        private final Kind kind;
        private List<RecipientOutcome> recipients = List.of();
        private Failure tlsFailure;
        private boolean tlsEstablished;
        private SmtpReply reply;
        private SmtpStep step;
        private String detail = "";
        private String localAddress;
        private boolean newSessionForDomain = true;
        private List<String> transcript = List.of();

        private Builder(Kind kind) {
            this.kind = kind;
        }

        public Builder recipients(List<RecipientOutcome> recipients) {
            this.recipients = recipients;
            return this;
        }

        public Builder tlsFailure(Failure tlsFailure) {
            this.tlsFailure = tlsFailure;
            return this;
        }

        public Builder tlsEstablished(boolean tlsEstablished) {
            this.tlsEstablished = tlsEstablished;
            return this;
        }

        public Builder reply(SmtpReply reply) {
            this.reply = reply;
            return this;
        }

        public Builder step(SmtpStep step) {
            this.step = step;
            return this;
        }

        public Builder detail(String detail) {
            this.detail = detail;
            return this;
        }

        public Builder localAddress(String localAddress) {
            this.localAddress = localAddress;
            return this;
        }

        public Builder newSessionForDomain(boolean newSession) {
            this.newSessionForDomain = newSession;
            return this;
        }

        public Builder transcript(List<String> transcript) {
            this.transcript = transcript;
            return this;
        }

        public SessionOutcome build() {
            return new SessionOutcome(this);
        }
    }
}

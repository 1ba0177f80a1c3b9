package io.github.jamesmtasts.smtp;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** The SMTP envelope of one transaction (RFC 5321 §2.3.1). */
public final class Envelope {
    private final String sender;
    private final List<String> recipients;
    private final boolean requireTls;

    /**
     * @param sender the reverse-path without angle brackets; empty for the null sender of bounces
     * @param recipients the forward-paths, at least one
     * @param requireTls RFC 8689: send {@code REQUIRETLS} on {@code MAIL FROM}, and only to a next hop offering it
     */
    public Envelope(String sender, List<String> recipients, boolean requireTls) {
        this.sender = Objects.requireNonNull(sender, "sender");
        this.recipients = List.copyOf(recipients);
        if (this.recipients.isEmpty()) {
            throw new IllegalArgumentException("an envelope needs at least one recipient");
        }
        this.requireTls = requireTls;
    }

    public String sender() {
        return sender;
    }

    public List<String> recipients() {
        return recipients;
    }

    public boolean requireTls() {
        return requireTls;
    }

    /** The domain of the first recipient, lower case: delivery puts one recipient domain in each envelope. */
    public String recipientDomain() {
        String first = recipients.get(0);
        return first.substring(first.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Envelope)) {
            return false;
        }
        Envelope other = (Envelope) o;
        return sender.equals(other.sender) && recipients.equals(other.recipients) && requireTls == other.requireTls;
    }

    @Override
    public int hashCode() {
        return Objects.hash(sender, recipients, requireTls);
    }

    @Override
    public String toString() {
        return "<" + sender + "> -> " + recipients + (requireTls ? " REQUIRETLS" : "");
    }
}

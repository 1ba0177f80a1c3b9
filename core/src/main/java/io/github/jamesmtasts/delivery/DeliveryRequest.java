package io.github.jamesmtasts.delivery;

import io.github.jamesmtasts.dns.HostNames;
import io.github.jamesmtasts.smtp.MessageContent;

import java.util.List;
import java.util.Objects;

/** One message to deliver to the recipients of one policy domain. */
public final class DeliveryRequest {
    private final String domain;
    private final String sender;
    private final List<String> recipients;
    private final MessageContent content;
    private final TlsRequirement tlsRequirement;
    private final boolean recordResults;

    /**
     * @param domain the policy domain: the recipients' domain as the envelope names it (RFC 8461 §5.1)
     * @param sender the reverse-path; empty for the null sender
     * @param recipients the recipients in that domain, at least one
     * @param tlsRequirement what the message asks of TLS (RFC 8689)
     * @param recordResults whether sessions are results for TLS-RPT; false for a TLS-RPT report itself
     *                      (RFC 8460 §5.3.1: reports about report delivery would loop)
     */
    public DeliveryRequest(String domain, String sender, List<String> recipients, MessageContent content,
                           TlsRequirement tlsRequirement, boolean recordResults) {
        this.domain = HostNames.normalize(Objects.requireNonNull(domain, "domain"));
        this.sender = Objects.requireNonNull(sender, "sender");
        this.recipients = List.copyOf(recipients);
        if (this.recipients.isEmpty()) {
            throw new IllegalArgumentException("a delivery needs at least one recipient");
        }
        this.content = Objects.requireNonNull(content, "content");
        this.tlsRequirement = Objects.requireNonNull(tlsRequirement, "tlsRequirement");
        this.recordResults = recordResults;
    }

    public String domain() {
        return domain;
    }

    public String sender() {
        return sender;
    }

    public List<String> recipients() {
        return recipients;
    }

    public MessageContent content() {
        return content;
    }

    public TlsRequirement tlsRequirement() {
        return tlsRequirement;
    }

    public boolean recordResults() {
        return recordResults;
    }

    @Override
    public String toString() {
        return "<" + sender + "> -> " + recipients + " (" + tlsRequirement + ")";
    }
}

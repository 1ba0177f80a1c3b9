package io.github.jamesmtasts.tlsrpt.sending;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

/**
 * Hands a report mail to the mail system for delivery (RFC 8460 §5.3). Inside James this is the
 * mailet container, so the admin's pipeline (DKIM signing included) processes it.
 */
@FunctionalInterface
public interface ReportMailer {
    /**
     * Queues the message; once this returns, the mail system has taken responsibility for it.
     *
     * @param envelopeSender the reverse path ({@code contact-info}), so that bounces reach the reporter
     * @param recipient      the address of the {@code mailto:} destination
     * @throws MessagingException if the mail system refused it; the destination is retried later
     */
    void send(String envelopeSender, String recipient, MimeMessage message) throws MessagingException;
}

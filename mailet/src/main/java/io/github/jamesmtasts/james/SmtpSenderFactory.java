package io.github.jamesmtasts.james;

import io.github.jamesmtasts.smtp.SmtpSender;

/**
 * Makes the SMTP client of one {@link MtaStsRemoteDelivery}: its {@code heloName} and time-outs are mailet
 * parameters, while the trust material (an extra CA) is the extension's. Bound by {@link MtaStsModule}.
 */
@FunctionalInterface
public interface SmtpSenderFactory {
    SmtpSender create(MailetParameters parameters);
}

package io.github.jamesmtasts.hooks;

import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the REQUIRETLS mark of the SMTP transaction onto the received {@link Mail} as the attribute
 * {@value RequireTls#ATTRIBUTE_NAME} = {@code true} (RFC 8689 §4.1: the server must tag the message). See
 * {@link RequireTls} for what the delivery mailet does with it and with a {@code TLS-Required} header field, which
 * this hook leaves in the message.
 *
 * <p>Configured in {@code smtpserver.xml}:
 * {@code <handler class="io.github.jamesmtasts.hooks.RequireTlsMessageHook"/>}. James 3.8.1 appends its core
 * handlers (among them {@code SendMailHandler}, which queues the mail) after the handlers listed in the chain,
 * wherever {@code CoreCmdHandlerLoader} is written, so the mark is on the mail before James queues it.
 */
public final class RequireTlsMessageHook implements JamesMessageHook {

    private static final Logger LOGGER = LoggerFactory.getLogger(RequireTlsMessageHook.class);

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        if (session.getAttachment(RequireTls.TRANSACTION_MARK, State.Transaction).orElse(false)) {
            mail.setAttribute(new Attribute(RequireTls.ATTRIBUTE, AttributeValue.of(true)));
            LOGGER.debug("Mail {} was sent with REQUIRETLS", mail.getName());
        }
        return HookResult.DECLINED;
    }
}

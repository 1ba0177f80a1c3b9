package io.github.jamesmtasts.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.junit.jupiter.api.Test;

class RequireTlsMessageHookTest {
    private final RequireTlsMailParameterHook parameterHook = new RequireTlsMailParameterHook();
    private final RequireTlsMessageHook messageHook = new RequireTlsMessageHook();

    @Test
    void marksTheMailOfARequireTlsTransaction() {
        SMTPSession session = Sessions.withTls();
        parameterHook.doMailParameter(session, "REQUIRETLS", "");
        Mail mail = MailImpl.builder().name("m1").build();

        HookResult result = messageHook.onMessage(session, mail);

        assertThat(result).isEqualTo(HookResult.DECLINED);
        assertThat(mail.getAttribute(RequireTls.ATTRIBUTE))
            .contains(new Attribute(RequireTls.ATTRIBUTE, AttributeValue.of(true)));
    }

    @Test
    void leavesOtherMailsUnmarked() {
        Mail mail = MailImpl.builder().name("m2").build();

        messageHook.onMessage(Sessions.withTls(), mail);

        assertThat(mail.getAttribute(RequireTls.ATTRIBUTE)).isEmpty();
    }

    @Test
    void theMarkEndsWithItsTransaction() {
        SMTPSession session = Sessions.withTls();
        parameterHook.doMailParameter(session, "REQUIRETLS", "");
        session.resetState();
        Mail mail = MailImpl.builder().name("m3").build();

        messageHook.onMessage(session, mail);

        assertThat(mail.getAttribute(RequireTls.ATTRIBUTE)).isEmpty();
    }
}

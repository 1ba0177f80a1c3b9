package io.github.jamesmtasts.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.MailCmdHandler;
import org.apache.james.protocols.smtp.core.RcptCmdHandler;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.junit.jupiter.api.Test;

class RequireTlsMailParameterHookTest {
    private final RequireTlsMailParameterHook hook = new RequireTlsMailParameterHook();

    @Test
    void marksTheTransactionOnATlsSession() {
        SMTPSession session = Sessions.withTls();

        HookResult result = hook.doMailParameter(session, "REQUIRETLS", "");

        assertThat(result).isEqualTo(HookResult.DECLINED);
        assertThat(mark(session)).isTrue();
    }

    @Test
    void refusesWithoutTlsWith530AndEncryptionNeeded() {
        SMTPSession session = Sessions.withoutTls();

        HookResult result = hook.doMailParameter(session, "REQUIRETLS", "");

        assertThat(result.getResult()).isEqualTo(HookReturnCode.deny());
        assertThat(result.getSmtpRetCode()).isEqualTo("530");
        assertThat(result.getSmtpDescription()).startsWith("5.7.10 ");
        assertThat(mark(session)).isFalse();
    }

    @Test
    void refusesAValueWith501() {
        SMTPSession session = Sessions.withTls();

        HookResult result = hook.doMailParameter(session, "REQUIRETLS", "YES");

        assertThat(result.getResult()).isEqualTo(HookReturnCode.deny());
        assertThat(result.getSmtpRetCode()).isEqualTo("501");
        assertThat(result.getSmtpDescription()).startsWith("5.5.4 ");
        assertThat(mark(session)).isFalse();
    }

    @Test
    void answersToEveryCaseSpellingOfTheKeyword() {
        assertThat(hook.getMailParamNames())
            .hasSize(1024)
            .doesNotHaveDuplicates()
            .contains("REQUIRETLS", "requiretls", "RequireTls", "rEQUIREtLS")
            .allSatisfy(name -> assertThat(name).isEqualToIgnoringCase("REQUIRETLS"));
    }

    @Test
    void dropsTheMarkWhenTheMailCommandIsRefused() {
        SMTPSession session = markedSession();

        Response refused = new SMTPResponse("552", "5.3.4 Message size exceeds fixed maximum message size");
        Response passedOn = hook.onResponse(session, refused, 0, mock(MailCmdHandler.class));

        assertThat(passedOn).isSameAs(refused);
        assertThat(mark(session)).isFalse();
    }

    @Test
    void keepsTheMarkWhenTheMailCommandIsAccepted() {
        SMTPSession session = markedSession();

        hook.onResponse(session, new SMTPResponse("250", "2.1.0 Sender OK"), 0, mock(MailCmdHandler.class));

        assertThat(mark(session)).isTrue();
    }

    @Test
    void keepsTheMarkWhenAnotherCommandIsRefused() {
        SMTPSession session = markedSession();

        hook.onResponse(session, new SMTPResponse("550", "5.1.1 No such user"), 0, mock(RcptCmdHandler.class));

        assertThat(mark(session)).isTrue();
    }

    private SMTPSession markedSession() {
        SMTPSession session = Sessions.withTls();
        hook.doMailParameter(session, "REQUIRETLS", "");
        return session;
    }

    private static boolean mark(SMTPSession session) {
        return session.getAttachment(RequireTls.TRANSACTION_MARK, State.Transaction).orElse(false);
    }
}

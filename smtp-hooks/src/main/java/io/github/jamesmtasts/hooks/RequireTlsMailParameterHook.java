package io.github.jamesmtasts.hooks;

import java.util.Locale;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.api.handler.ProtocolHandlerResultHandler;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.MailCmdHandler;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MailParametersHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts the {@code REQUIRETLS} parameter of {@code MAIL FROM} on TLS sessions and marks the transaction.
 *
 * <ul>
 *   <li>On a TLS session, {@code MAIL FROM:<...> REQUIRETLS} marks the transaction; {@link RequireTlsMessageHook}
 *       later copies the mark onto the {@code Mail} (RFC 8689 §4.1: the server must tag the message).</li>
 *   <li>Without TLS the command is refused with {@code 530 5.7.10}: RFC 8689 §2 allows the parameter only on a
 *       TLS-protected session, 530 is RFC 3207's "issue STARTTLS first" reply, and X.7.10 is "Encryption Needed"
 *       in the RFC 5248 status code registry. The client can STARTTLS and retry.</li>
 *   <li>RFC 8689 §2 defines the parameter without a value: {@code REQUIRETLS=something} is refused with
 *       {@code 501 5.5.4}.</li>
 *   <li>When the server refuses the MAIL command for any other reason (say an oversized {@code SIZE=} after
 *       REQUIRETLS), no transaction starts (RFC 5321 §4.1.1.2), so the mark is dropped and cannot leak into the
 *       client's next MAIL command. James clears the sender of a refused MAIL the same way.</li>
 * </ul>
 *
 * <p>Configured in {@code smtpserver.xml}:
 * {@code <handler class="io.github.jamesmtasts.hooks.RequireTlsMailParameterHook"/>}. James wires the one instance
 * both as the parameter hook of {@code MAIL} and as a command result handler.
 */
public final class RequireTlsMailParameterHook
    implements MailParametersHook, ProtocolHandlerResultHandler<Response, SMTPSession> {

    private static final Logger LOGGER = LoggerFactory.getLogger(RequireTlsMailParameterHook.class);

    /** RFC 5248 registry: X.7.10 Encryption Needed. */
    private static final String ENCRYPTION_NEEDED = "7.10";

    private static final HookResult NEEDS_TLS = HookResult.builder()
        .hookReturnCode(HookReturnCode.deny())
        .smtpReturnCode(SMTPRetCode.AUTH_REQUIRED)
        .smtpDescription(DSNStatus.getStatus(DSNStatus.PERMANENT, ENCRYPTION_NEEDED)
            + " REQUIRETLS needs an encrypted connection: issue STARTTLS first")
        .build();

    private static final HookResult TAKES_NO_VALUE = HookResult.builder()
        .hookReturnCode(HookReturnCode.deny())
        .smtpReturnCode(SMTPRetCode.SYNTAX_ERROR_ARGUMENTS)
        .smtpDescription(DSNStatus.getStatus(DSNStatus.PERMANENT, DSNStatus.DELIVERY_INVALID_ARG)
            + " REQUIRETLS takes no value")
        .build();

    private static final String[] PARAMETER_SPELLINGS = everyCaseSpelling(RequireTls.KEYWORD);

    @Override
    public HookResult doMailParameter(SMTPSession session, String paramName, String paramValue) {
        if (!paramValue.isEmpty()) {
            return TAKES_NO_VALUE;
        }
        if (!session.isTLSStarted()) {
            LOGGER.info("Refused MAIL FROM with REQUIRETLS on a session without TLS from {}", session.getRemoteAddress());
            return NEEDS_TLS;
        }
        session.setAttachment(RequireTls.TRANSACTION_MARK, Boolean.TRUE, State.Transaction);
        return HookResult.DECLINED;
    }

    /**
     * Every upper/lower case spelling of {@code REQUIRETLS}. RFC 5321 §2.4 makes parameter names case-insensitive,
     * but James 3.8.1's {@code MailCmdHandler} upper-cases only parameters written {@code NAME=value} and looks a
     * bare keyword up as the client spelled it, silently ignoring names it does not know. Registering each
     * spelling (1024 of them) keeps {@code requiretls} from being accepted without the mark.
     */
    @Override
    public String[] getMailParamNames() {
        return PARAMETER_SPELLINGS.clone();
    }

    @Override
    public Response onResponse(ProtocolSession session, Response response, long executionTime, ProtocolHandler handler) {
        if (handler instanceof MailCmdHandler && !SMTPRetCode.MAIL_OK.equals(response.getRetCode())) {
            session.removeAttachment(RequireTls.TRANSACTION_MARK, State.Transaction);
        }
        return response;
    }

    private static String[] everyCaseSpelling(String keyword) {
        String upper = keyword.toUpperCase(Locale.US);
        String lower = keyword.toLowerCase(Locale.US);
        String[] spellings = new String[1 << keyword.length()];
        for (int lowered = 0; lowered < spellings.length; lowered++) {
            StringBuilder spelling = new StringBuilder(keyword.length());
            for (int i = 0; i < keyword.length(); i++) {
                boolean lowerHere = (lowered & (1 << i)) != 0;
                spelling.append(lowerHere ? lower.charAt(i) : upper.charAt(i));
            }
            spellings[lowered] = spelling.toString();
        }
        return spellings;
    }
}

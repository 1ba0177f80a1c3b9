package io.github.jamesmtasts.hooks;

import org.apache.commons.configuration2.Configuration;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.inject.Inject;
import java.util.Locale;

/**
 * Accepts {@code RCPT TO:<tlsrpt@domain>} for every domain James hosts, before {@code ValidRcptHandler} would refuse
 * it for want of a user: it is the mail {@code rua} (RFC 8460 §3) where other senders' TLS-RPT reports arrive, read
 * by the extension's {@code TlsRptReportReceiver} mailet, and no mailbox is needed for it. Any other recipient is
 * left to the hooks that follow.
 *
 * <p>Configured in {@code smtpserver.xml} before {@code ValidRcptHandler}:
 * {@code <handler class="io.github.jamesmtasts.hooks.TlsRptRecipientHook"><localPart>tlsrpt</localPart></handler>};
 * the local part is the extension's {@code received.localPart} ({@code tlsrpt} unless changed in both places).
 */
public final class TlsRptRecipientHook implements RcptHook, ProtocolHandler {
    static final String DEFAULT_LOCAL_PART = "tlsrpt";
    private static final Logger LOGGER = LoggerFactory.getLogger(TlsRptRecipientHook.class);

    private final DomainList domains;
    private String localPart = DEFAULT_LOCAL_PART;

    @Inject
    public TlsRptRecipientHook(DomainList domains) {
        this.domains = domains;
    }

    @Override
    public void init(Configuration configuration) {
        localPart = configuration.getString("localPart", DEFAULT_LOCAL_PART).trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress recipient) {
        if (!recipient.getLocalPart().toLowerCase(Locale.ROOT).equals(localPart)) {
            return HookResult.DECLINED;
        }
        try {
            return domains.containsDomain(recipient.getDomain()) ? HookResult.OK : HookResult.DECLINED;
        } catch (DomainListException e) {
            LOGGER.warn("James's domain list cannot be read: {} is left to the other hooks", recipient, e);
            return HookResult.DECLINED;
        }
    }
}

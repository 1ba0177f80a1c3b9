package io.github.jamesmtasts.hooks;

import java.util.Set;

import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HeloHook;
import org.apache.james.protocols.smtp.hook.HookResult;

/**
 * Advertises the REQUIRETLS service extension in the EHLO response of TLS-protected sessions.
 *
 * <p>RFC 8689 §2: the REQUIRETLS parameter may only be used on a session that employs TLS, so the keyword is
 * offered only once TLS is up (after STARTTLS, or on an implicit-TLS port). A client that sees no REQUIRETLS in the
 * first EHLO issues STARTTLS and asks again, as RFC 3207 §4.2 has it. This hook takes no part in the HELO/EHLO
 * decision itself.
 *
 * <p>Configured in {@code smtpserver.xml}: {@code <handler class="io.github.jamesmtasts.hooks.RequireTlsEhloHook"/>}.
 */
public final class RequireTlsEhloHook implements HeloHook {

    @Override
    public Set<String> implementedEsmtpFeatures(SMTPSession session) {
        if (session.isTLSStarted()) {
            return Set.of(RequireTls.KEYWORD);
        }
        return Set.of();
    }

    @Override
    public HookResult doHelo(SMTPSession session, String helo) {
        return HookResult.DECLINED;
    }
}

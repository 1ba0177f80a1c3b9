package io.github.jamesmtasts.hooks;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.mailet.AttributeName;

/**
 * The REQUIRETLS mark of RFC 8689 as it travels from James's SMTP server to the delivery mailet.
 *
 * <p>REQUIRETLS is an envelope property: it arrives as a parameter of {@code MAIL FROM} and would be lost once
 * James turns the SMTP transaction into a {@link org.apache.mailet.Mail}. The hooks keep it in two places:
 * <ol>
 *   <li>during the SMTP transaction, as a session attachment set by {@link RequireTlsMailParameterHook};</li>
 *   <li>from then on, as the {@code Mail} attribute {@value #ATTRIBUTE_NAME} set by {@link RequireTlsMessageHook}.</li>
 * </ol>
 *
 * <h2>Contract with the delivery mailet</h2>
 * <ul>
 *   <li>The attribute {@value #ATTRIBUTE_NAME} holds {@code AttributeValue.of(true)} (a {@link Boolean}) on every mail
 *       whose {@code MAIL FROM} carried REQUIRETLS. The hooks never set it to {@code false}; a mail without it did
 *       not ask for REQUIRETLS. Only server-side code can set a mail attribute, so an SMTP client cannot forge it
 *       except through the checked {@code MAIL FROM} parameter.</li>
 *   <li>RFC 8689 §4.1: when REQUIRETLS was given, a {@code TLS-Required} header field must be ignored but may be
 *       relayed onward. The hooks therefore leave that header field in the message untouched (removing it would
 *       also break a DKIM signature that covers it) and the mailet lets the attribute win over it.</li>
 *   <li>RFC 8689 §4.1: a message that came without REQUIRETLS but with {@code TLS-Required: No} must be tagged with
 *       that option. The header field itself is the tag: the hooks keep it on every message, whoever the client
 *       (authenticated user, authorized relay or unauthenticated inbound sender), and the mailet honours it on
 *       any mail it relays out, including inbound mail that James forwards. It changes nothing for local
 *       delivery, which involves no SMTP relaying.</li>
 *   <li>RFC 8689 §4.1: when a message is aliased to several recipients every copy must carry the same tag. James
 *       copies mail attributes when it duplicates a {@code Mail}, so every copy keeps the attribute.</li>
 * </ul>
 */
public final class RequireTls {
    /** The EHLO keyword and the {@code MAIL FROM} parameter name (RFC 8689 §2). */
    public static final String KEYWORD = "REQUIRETLS";

    /** Name of the {@code Mail} attribute that marks a message sent with REQUIRETLS. */
    public static final String ATTRIBUTE_NAME = "io.github.jamesmtasts.requiretls";

    /** {@link #ATTRIBUTE_NAME} as a mailet attribute name. */
    public static final AttributeName ATTRIBUTE = AttributeName.of(ATTRIBUTE_NAME);

    /** Set in the transaction state of the SMTP session once {@code MAIL FROM ... REQUIRETLS} was accepted. */
    static final ProtocolSession.AttachmentKey<Boolean> TRANSACTION_MARK =
        ProtocolSession.AttachmentKey.of(ATTRIBUTE_NAME, Boolean.class);

    private RequireTls() {
    }
}

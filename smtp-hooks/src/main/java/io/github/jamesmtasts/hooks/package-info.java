/**
 * James SMTP server hooks for the SMTP Require TLS option (RFC 8689).
 *
 * <p>In plain words: a sender can ask, per message, that every relay on the way encrypts the message with a
 * verified TLS connection ({@code MAIL FROM:<...> REQUIRETLS}, only possible on a connection that is itself
 * encrypted), or the opposite, that relays deliver even when the recipient's TLS policy (MTA-STS, DANE) cannot be
 * met ({@code TLS-Required: No} header field). If both are present, REQUIRETLS wins.
 *
 * <p>These hooks make James's SMTP server the receiving side of that option:
 * <ul>
 *   <li>{@link io.github.jamesmtasts.hooks.RequireTlsEhloHook} advertises {@code REQUIRETLS} on TLS sessions;</li>
 *   <li>{@link io.github.jamesmtasts.hooks.RequireTlsMailParameterHook} accepts the parameter on TLS sessions only;</li>
 *   <li>{@link io.github.jamesmtasts.hooks.RequireTlsMessageHook} marks the received mail for the delivery mailet.</li>
 * </ul>
 * {@link io.github.jamesmtasts.hooks.RequireTls} names the mark and states the contract with the delivery mailet,
 * which does the sending side (RFC 8689 §4.2 and the §5 non-delivery reports).
 *
 * <p>All three are listed in the {@code <handlerchain>} of each {@code <smtpserver>} in {@code smtpserver.xml}.
 */
package io.github.jamesmtasts.hooks;

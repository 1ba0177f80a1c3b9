/**
 * Outbound delivery under MTA-STS (RFC 8461 §5), free of James types.
 *
 * <p>A message is delivered domain by domain: the policy domain is the recipient domain as the envelope
 * names it. For each, {@link io.github.jamesmtasts.delivery.PolicyApplication} decides from the policy, the
 * admin's {@link io.github.jamesmtasts.delivery.Enforcement} switch and the message's own TLS wishes
 * (RFC 8689) how strictly MTA-STS applies; {@link io.github.jamesmtasts.delivery.MxPlan} turns that into the
 * MX hosts to try and how: under an {@code enforce} policy only the hosts the policy lists, only over
 * verified TLS, and when none works the mail waits and is tried again later (a temporary failure, never a
 * bounce for that alone); under {@code testing} every failure is recorded but the mail goes anyway.
 * {@link io.github.jamesmtasts.delivery.DomainDelivery} runs the SMTP sessions, reports each to TLS-RPT and
 * gives each recipient a {@link io.github.jamesmtasts.delivery.DeliveryOutcome}: delivered, retry, or
 * bounce. {@link io.github.jamesmtasts.delivery.RetrySchedule} says when a deferred mail is tried again,
 * with James {@code RemoteDelivery}'s parameters.
 *
 * <p>How strict, word by word. Each of these enums answers a different question, at a different layer, set by
 * a different party:
 * <table>
 *   <caption>The strictness words</caption>
 *   <tr><th>enum</th><th>layer</th><th>values</th><th>set by</th></tr>
 *   <tr><td>{@link io.github.jamesmtasts.mtasts.Mode}</td><td>the policy (RFC 8461 §3.2)</td>
 *       <td>{@code enforce}, {@code testing}, {@code none}</td><td>the recipient domain, in its policy file</td></tr>
 *   <tr><td>{@link io.github.jamesmtasts.delivery.EnforcementMode}</td><td>this server's switch</td>
 *       <td>{@code enforce}, {@code report-only}, {@code off}</td><td>the mail admin (mailet parameter, WebAdmin),
 *       globally or per domain ({@link io.github.jamesmtasts.delivery.DomainOverride})</td></tr>
 *   <tr><td>{@link io.github.jamesmtasts.delivery.TlsRequirement}</td><td>the message (RFC 8689)</td>
 *       <td>{@code DEFAULT}, {@code NOT_REQUIRED} ({@code TLS-Required: No}), {@code REQUIRETLS}</td>
 *       <td>the sender</td></tr>
 *   <tr><td>{@link io.github.jamesmtasts.delivery.PolicyApplication.Treatment}</td><td>one delivery to one
 *       domain</td><td>{@code ENFORCE}, {@code TESTING}, {@code OPPORTUNISTIC}, {@code REFUSE}, {@code DEFER}</td>
 *       <td>{@link io.github.jamesmtasts.delivery.PolicyApplication}, from the three above</td></tr>
 *   <tr><td>{@link io.github.jamesmtasts.smtp.TlsStance}</td><td>one SMTP session</td>
 *       <td>{@code VERIFIED}, {@code OPPORTUNISTIC}</td><td>{@link io.github.jamesmtasts.delivery.MxPlan},
 *       from the treatment, per MX host</td></tr>
 * </table>
 */
package io.github.jamesmtasts.delivery;

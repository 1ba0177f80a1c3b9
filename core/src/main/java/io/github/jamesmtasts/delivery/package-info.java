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
 */
package io.github.jamesmtasts.delivery;

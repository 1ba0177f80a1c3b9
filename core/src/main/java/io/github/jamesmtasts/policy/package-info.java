/**
 * Getting and keeping the MTA-STS policy of a recipient domain (RFC 8461 §3.3, §5.1, §10.2): the policy
 * engine asks DNS for the {@code _mta-sts} record, fetches the policy over HTTPS when its {@code id} is new
 * ({@link io.github.jamesmtasts.policy.PolicyFetcher}), keeps it in memory and in a
 * {@link io.github.jamesmtasts.policy.PolicyStore} across restarts, refreshes it in the background while its
 * record exists ({@link io.github.jamesmtasts.policy.PolicyRefresher}), and answers each delivery with a
 * {@link io.github.jamesmtasts.policy.PolicyLookup}: the policy that applies, the failure met on the way, or
 * "not known yet" (a DNS failure). Start at {@link io.github.jamesmtasts.policy.PolicyEngine}.
 */
package io.github.jamesmtasts.policy;

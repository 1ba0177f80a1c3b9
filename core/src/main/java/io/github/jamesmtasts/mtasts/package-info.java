/**
 * MTA-STS itself (RFC 8461), as text: what the {@code _mta-sts} TXT record says
 * ({@link io.github.jamesmtasts.mtasts.StsRecord}, §3.1; {@link io.github.jamesmtasts.mtasts.StsDiscovery} for
 * the answer as a whole), what a policy file says ({@link io.github.jamesmtasts.mtasts.PolicyParser} into a
 * {@link io.github.jamesmtasts.mtasts.Policy}, §3.2) and how its {@code mx} patterns match an MX host
 * ({@link io.github.jamesmtasts.mtasts.MxPattern}, §4.1). No network, no clock, no cache: parsing at the edge
 * into types, each failure named ({@link io.github.jamesmtasts.mtasts.PolicyError}). Fetching and caching are
 * the {@code policy} package's.
 */
package io.github.jamesmtasts.mtasts;

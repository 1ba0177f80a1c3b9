/**
 * Checking a domain as a sender sees it: its {@code _mta-sts} record, its policy and the policy host's
 * certificate, each MX host over STARTTLS, DANE and its TLS-RPT record, all through the extension's own clients.
 *
 * <p>{@link io.github.jamesmtasts.check.DomainCheck} makes a {@link io.github.jamesmtasts.check.CheckReport} of
 * {@link io.github.jamesmtasts.check.Finding}s; the {@code mta-sts check} command prints it, and the watch of
 * one's own domains ({@code io.github.jamesmtasts.watch}) compares it with the last one. Given the
 * {@link io.github.jamesmtasts.check.ExpectedPolicy} the domain's own server serves, the check also finds a stale
 * {@code id} and a policy host serving something else.
 */
package io.github.jamesmtasts.check;

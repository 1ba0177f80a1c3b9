/**
 * James's own MTA-STS policy, served to the senders that mail this server's domains (RFC 8461 §3).
 *
 * <p>For each domain an admin publishes a {@link io.github.jamesmtasts.publishing.PublishedPolicy}: the policy
 * file's text (§3.2), the {@code id} of the {@code _mta-sts} TXT record to publish next to it (§3.1), derived from
 * that text so it changes exactly when the policy does. The {@link io.github.jamesmtasts.publishing.PolicyServer}
 * answers {@code GET https://mta-sts.<domain>/.well-known/mta-sts.txt} over HTTPS (§3.3), picking each domain's
 * certificate by SNI from a certbot-style {@link io.github.jamesmtasts.publishing.CertificateDirectory} that is
 * re-read when the files change, and hands TLS-RPT reports posted to it to a
 * {@link io.github.jamesmtasts.publishing.ReportReceiver}. The {@link io.github.jamesmtasts.publishing.PolicyHistory}
 * remembers when a domain switched to {@code mode: none}, so the admin knows when removing the policy altogether
 * is safe (§8.3).
 *
 * <p>Nothing here knows James: the server is configured with plain values and interfaces.
 */
package io.github.jamesmtasts.publishing;

/**
 * A small HTTPS client for the two places where MTA-STS and TLS-RPT speak HTTP: fetching a policy
 * from {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} (RFC 8461 §3.3) and posting a report
 * to an {@code https:} reporting URI (RFC 8460 §5.4).
 *
 * <p>Both are made safe against the host on the other end. The server certificate is checked as
 * RFC 8461 §3.3 says (PKIX path to a trusted root, the host name as a DNS-ID matched by RFC 6125,
 * as for MX hosts), by the JDK's own trust manager and endpoint identification, and a failed check
 * says which {@link io.github.jamesmtasts.tls.CertificateProblem} it was. The host name is resolved through
 * the project's {@link io.github.jamesmtasts.dns.DnsClient}, so the admin's DNS servers answer, and
 * addresses inside private networks are refused unless allowed, so a hostile domain cannot make the
 * mail server fetch from its own network. Redirects are never followed and nothing is cached. A
 * response body is read only up to a limit, and the whole exchange has a time limit.
 *
 * <p>Every failure is a {@link io.github.jamesmtasts.https.HttpsFailure} of a named
 * {@link io.github.jamesmtasts.https.HttpsFailure.Kind}.
 */
package io.github.jamesmtasts.https;

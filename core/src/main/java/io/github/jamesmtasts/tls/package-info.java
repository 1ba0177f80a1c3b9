/**
 * TLS trust, in one place for the HTTPS client and the SMTP client: which root certificates a server
 * certificate must chain to (PKIX, RFC 5280: the JVM's trust store plus the CA certificates a James admin adds
 * as a PEM file, {@code caFile}, read once into {@link io.github.jamesmtasts.tls.TrustAnchors}), how it must
 * name its host (a DNS-ID, RFC 6125, {@link io.github.jamesmtasts.tls.HostIdentity}), and what a rejected
 * certificate is called by the result types TLS-RPT reports (RFC 8460 §4.3.1).
 *
 * <p>Both MTA-STS policy hosts (RFC 8461 §3.3) and MX hosts under the verified stance (RFC 8461 §4.2) are
 * checked by {@link io.github.jamesmtasts.tls.CertificateVerifier}: the JDK does the checking (path validation
 * and endpoint identification); this package only sets it up and names its verdict.
 */
package io.github.jamesmtasts.tls;

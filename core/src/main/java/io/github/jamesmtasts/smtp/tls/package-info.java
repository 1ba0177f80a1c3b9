/**
 * TLS for SMTP sessions: which certificates are trusted, how an MX certificate is checked, and how
 * a failed check is named.
 *
 * <p>STARTTLS (RFC 3207) turns a plaintext SMTP connection into a TLS one. Without a policy, mail
 * uses it opportunistically: any certificate will do, and plaintext when TLS is not offered. Under
 * an MTA-STS policy (RFC 8461 §4.2) the MX must offer STARTTLS, the handshake must reach TLS 1.2 or
 * later, the certificate chain must lead to a trusted root and the certificate must name the MX
 * host in its subjectAltName. The JDK does the checking (PKIX path validation and endpoint
 * identification); this package only sets it up and reads its verdict, naming each failure by the
 * result types TLS-RPT reports (RFC 8460 §4.3.1).
 */
package io.github.jamesmtasts.smtp.tls;

package io.github.jamesmtasts.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

/**
 * How a server certificate must name its host, for policy hosts (RFC 8461 §3.3) and MX hosts
 * (RFC 8461 §4.2): by a DNS-ID, matched as RFC 6125 says. The JDK's endpoint identification does the
 * matching; this class names the JDK rule to ask for and checks what that rule leaves out.
 *
 * <p>Which JDK rule: {@link #ENDPOINT_IDENTIFICATION}, {@code "LDAPS"}, not {@code "HTTPS"}. The JDK's
 * {@code HTTPS} rule is RFC 2818's, which lets a {@code *} stand in any label ({@code *.*.example}
 * would match); its {@code LDAPS} rule (RFC 2830 §3.6) accepts a wildcard only in the left-most
 * label, as RFC 6125 §6.4.3 requires. Both rules fall back to the subject's common name when the
 * certificate has no {@code dNSName}; RFC 8461 wants a DNS-ID in the subjectAltName, so a
 * certificate without any {@code dNSName} must be refused besides ({@link #hasDnsId}). (The JDK
 * would still accept a partial left-most label such as {@code m*.example.com}; public CAs may not
 * issue those, CA/B Forum Baseline Requirements §7.1.4.2.1.)
 */
public final class HostIdentity {
    /** The JDK's endpoint identification algorithm with RFC 6125's wildcard rule. */
    public static final String ENDPOINT_IDENTIFICATION = "LDAPS";

    // RFC 5280 §4.2.1.6: GeneralName tag of dNSName, as X509Certificate.getSubjectAlternativeNames lists it.
    private static final int DNS_NAME = 2;

    private HostIdentity() {
    }

    /**
     * Whether the certificate names a host by a DNS-ID: a {@code dNSName} in its subjectAltName.
     *
     * @throws CertificateParsingException if its subjectAltName cannot be read
     */
    public static boolean hasDnsId(X509Certificate certificate) throws CertificateParsingException {
        // RFC 8461 §3.3, §4.2: a DNS-ID (RFC 6125 §6.4.4's CN-ID fallback does not count).
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        return names != null && names.stream().anyMatch(name -> Integer.valueOf(DNS_NAME).equals(name.get(0)));
    }
}

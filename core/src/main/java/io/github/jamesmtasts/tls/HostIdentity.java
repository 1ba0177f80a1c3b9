package io.github.jamesmtasts.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

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

    /**
     * Whether a DNS-ID of the certificate matches one of the reference identifiers, by RFC 6125 §6.4: equal
     * ignoring case, or a {@code *} that is the whole left-most label standing for exactly one label. For
     * DANE-TA (RFC 7672 §3.2.2), where more than one name is acceptable and the JDK's rule takes only one.
     *
     * @throws CertificateParsingException if its subjectAltName cannot be read
     */
    public static boolean matchesAny(X509Certificate certificate, List<String> referenceIdentifiers) throws CertificateParsingException {
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        if (names == null) {
            return false;
        }
        return names.stream()
            .filter(name -> Integer.valueOf(DNS_NAME).equals(name.get(0)))
            .map(name -> String.valueOf(name.get(1)))
            .anyMatch(dnsId -> referenceIdentifiers.stream().anyMatch(reference -> matches(dnsId, reference)));
    }

    private static boolean matches(String dnsId, String reference) {
        String id = dnsId.toLowerCase(Locale.ROOT);
        String host = reference.toLowerCase(Locale.ROOT);
        if (!id.startsWith("*.")) {
            return id.equals(host);
        }
        // RFC 6125 §6.4.3: the wildcard is the complete left-most label and stands for one label only.
        int dot = host.indexOf('.');
        return dot > 0 && host.substring(dot).equals(id.substring(1));
    }
}

package io.github.jamesmtasts.dane;

import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.tls.HostIdentity;
import io.github.jamesmtasts.tls.RejectedCertificateException;
import io.github.jamesmtasts.tls.ServerTrustManager;
import io.github.jamesmtasts.tls.TlsFailureClassifier;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import javax.net.ssl.SSLEngine;

/**
 * Accepts an MX host's certificate chain only when one of its usable TLSA records matches it (RFC 7672 §3), and
 * otherwise names the refusal by its RFC 8460 result type:
 * <ul>
 *   <li>DANE-EE(3): the leaf certificate (or its key) is the one published; nothing else is checked, neither a
 *       PKIX path, nor the names, nor the dates (§3.1.1);</li>
 *   <li>DANE-TA(2): a CA certificate (or key) the server sent in its chain is the one published; the chain below it
 *       must validate up to it (signatures and dates), and the leaf must carry a DNS-ID matching the TLSA base
 *       domain or the MX host name (§3.1.2, §3.2.2, §3.2.3).</li>
 * </ul>
 * A chain that no record matches is refused as {@code validation-failure} with reason {@code tlsa-mismatch}.
 * Immutable; one per connection.
 */
public final class DaneVerifier extends ServerTrustManager {
    /** The {@code failure-reason-code} of a certificate that no usable TLSA record matches. */
    public static final String TLSA_MISMATCH = "tlsa-mismatch";

    private final HostTlsa tlsa;

    public DaneVerifier(HostTlsa tlsa) {
        this.tlsa = Objects.requireNonNull(tlsa, "tlsa");
    }

    /** Checks a chain, leaf first, as the handshake does. */
    public void verify(X509Certificate[] chain) throws RejectedCertificateException {
        if (chain == null || chain.length == 0) {
            throw new RejectedCertificateException(ResultType.VALIDATION_FAILURE, "the server sent no certificate", null);
        }
        List<TlsaRecord> usable = tlsa.usable();
        // RFC 7672 §3.1.1: DANE-EE matches the leaf alone.
        if (usable.stream().anyMatch(record -> record.usage() == TlsaRecord.DANE_EE && record.matches(chain[0]))) {
            return;
        }
        RejectedCertificateException refusal = null;
        for (int anchor = 1; anchor < chain.length; anchor++) {
            X509Certificate candidate = chain[anchor];
            boolean published = usable.stream().anyMatch(record -> record.usage() == TlsaRecord.DANE_TA && record.matches(candidate));
            if (!published) {
                continue;
            }
            try {
                validateBelow(chain, anchor);
                requireName(chain[0]);
                return;
            } catch (RejectedCertificateException e) {
                refusal = e;
            }
        }
        if (refusal != null) {
            throw refusal;
        }
        throw new RejectedCertificateException(ResultType.VALIDATION_FAILURE, "no TLSA record of " + tlsa.baseDomain()
            + " matches the certificate chain of '" + chain[0].getSubjectX500Principal().getName() + "'", TLSA_MISMATCH, null);
    }

    /** RFC 7672 §3.1.2: the certificates below the published trust anchor form a valid path to it. */
    private static void validateBelow(X509Certificate[] chain, int anchor) throws RejectedCertificateException {
        try {
            CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(Arrays.asList(chain).subList(0, anchor));
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(chain[anchor], null)));
            // A TLSA record is the trust anchor; CRLs and OCSP are not part of DANE (RFC 7671 §5.2.1).
            parameters.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(path, parameters);
        } catch (GeneralSecurityException e) {
            throw new RejectedCertificateException(TlsFailureClassifier.classifyPathFailure(e),
                "the chain does not lead to the DANE-TA trust anchor: " + e.getMessage(), e);
        }
    }

    /** RFC 7672 §3.2.2: under DANE-TA the leaf must name the TLSA base domain or the MX host. */
    private void requireName(X509Certificate leaf) throws RejectedCertificateException {
        boolean named;
        try {
            named = HostIdentity.matchesAny(leaf, tlsa.referenceIdentifiers());
        } catch (CertificateParsingException e) {
            throw new RejectedCertificateException(ResultType.VALIDATION_FAILURE, "unreadable subjectAltName: " + e.getMessage(), e);
        }
        if (!named) {
            throw new RejectedCertificateException(ResultType.CERTIFICATE_HOST_MISMATCH, "certificate '"
                + leaf.getSubjectX500Principal().getName() + "' names none of " + tlsa.referenceIdentifiers(), null);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}

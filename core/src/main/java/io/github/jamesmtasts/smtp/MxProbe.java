package io.github.jamesmtasts.smtp;

import io.github.jamesmtasts.result.Failure;

import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * What one MX host showed when a session was opened under the verified stance (RFC 8461 §4.2) and closed
 * without mail: verified TLS with the server's certificate, or the failure, classified as delivery would
 * classify it ({@link SessionOutcome}).
 */
public final class MxProbe {
    private final MxTarget target;
    private final X509Certificate certificate;
    private final boolean requireTls;
    private final SessionOutcome failure;

    private MxProbe(MxTarget target, X509Certificate certificate, boolean requireTls, SessionOutcome failure) {
        this.target = Objects.requireNonNull(target, "target");
        this.certificate = certificate;
        this.requireTls = requireTls;
        this.failure = failure;
    }

    static MxProbe verified(MxTarget target, Optional<X509Certificate> certificate, boolean requireTls) {
        return new MxProbe(target, certificate.orElse(null), requireTls, null);
    }

    static MxProbe failed(MxTarget target, SessionOutcome failure) {
        return new MxProbe(target, null, false, Objects.requireNonNull(failure, "failure"));
    }

    public MxTarget target() {
        return target;
    }

    /** Whether STARTTLS succeeded with a certificate valid by PKIX for the MX host name. */
    public boolean verified() {
        return failure == null;
    }

    /** The server's certificate, when verified. */
    public Optional<X509Certificate> certificate() {
        return Optional.ofNullable(certificate);
    }

    /** Whether the server offered REQUIRETLS after STARTTLS (RFC 8689). */
    public boolean offersRequireTls() {
        return requireTls;
    }

    /** The RFC 8460 classification of a TLS failure; empty when verified or when the session failed otherwise. */
    public Optional<Failure> tlsFailure() {
        return failure == null ? Optional.empty() : failure.tlsFailure();
    }

    /** How the session ended, when it was not verified. */
    public Optional<SessionOutcome> failure() {
        return Optional.ofNullable(failure);
    }
}

package io.github.jamesmtasts.https;

import java.security.cert.CertificateException;

/** A rejected server certificate, with the {@link CertificateProblem} that made the JDK reject it. */
final class CertificateProblemException extends CertificateException {
    private static final long serialVersionUID = 1L;

    private final CertificateProblem problem;

    CertificateProblemException(CertificateProblem problem, CertificateException cause) {
        super(cause.getMessage(), cause);
        this.problem = problem;
    }

    CertificateProblem problem() {
        return problem;
    }
}

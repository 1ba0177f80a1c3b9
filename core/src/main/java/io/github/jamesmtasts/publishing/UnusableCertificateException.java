package io.github.jamesmtasts.publishing;

import java.nio.file.Path;

/** A certificate or key file that cannot be served: which file, and why. */
final class UnusableCertificateException extends Exception {
    private static final long serialVersionUID = 1L;

    UnusableCertificateException(Path file, String reason) {
        super(file + ": " + reason);
    }

    UnusableCertificateException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason + ": " + cause, cause);
    }
}

package io.github.jamesmtasts.smtp;

import java.io.IOException;
import java.time.Duration;

/** The server did not answer (or did not take data) within the step's timeout (RFC 5321 §4.5.3.2). */
final class StepTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    private final SmtpStep step;

    StepTimeoutException(SmtpStep step, Duration timeout) {
        super("no progress at " + step + " within " + timeout.toMillis() + " ms");
        this.step = step;
    }

    SmtpStep step() {
        return step;
    }
}

package io.github.jamesmtasts.tlsrpt;

import java.util.Objects;

/** A TXT record that is not a valid TLS-RPT record, with the {@link RecordError} that says why. */
public final class InvalidRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    private final RecordError error;

    public InvalidRecordException(RecordError error, String message) {
        super(message);
        this.error = Objects.requireNonNull(error, "error");
    }

    public RecordError error() {
        return error;
    }
}

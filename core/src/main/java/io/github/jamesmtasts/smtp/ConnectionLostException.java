package io.github.jamesmtasts.smtp;

import java.io.IOException;

/** The connection closed or broke before the exchange in progress was over. */
final class ConnectionLostException extends IOException {
    private static final long serialVersionUID = 1L;

    ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.github.jamesmtasts.tlsrpt.receiving;

import java.io.IOException;

/** A {@link ReceivedReportStore} holds as many reports or bytes as it may, so it took no more. */
public final class StoreFullException extends IOException {
    private static final long serialVersionUID = 1L;

    public StoreFullException(String message) {
        super(message);
    }
}

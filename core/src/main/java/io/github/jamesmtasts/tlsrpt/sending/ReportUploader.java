package io.github.jamesmtasts.tlsrpt.sending;

import java.io.IOException;
import java.net.URI;

/** Sends a report by HTTPS POST (RFC 8460 §5.4). */
@FunctionalInterface
public interface ReportUploader {
    /**
     * POSTs {@code body} with the given {@code Content-Type} and waits for the answer.
     *
     * @return the HTTP status code; RFC 8460 §5.4: any 2xx is a successful delivery
     * @throws IOException when no answer came (connection, TLS, time-out); the destination is retried later
     */
    int post(URI uri, String contentType, byte[] body) throws IOException;
}

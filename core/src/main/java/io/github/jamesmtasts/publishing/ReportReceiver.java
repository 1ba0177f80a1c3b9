package io.github.jamesmtasts.publishing;

/**
 * What the {@link PolicyServer} does with a TLS-RPT report posted to it (RFC 8460 §5.4): decides on the body
 * and says what to answer. Called off the network threads, one request at a time per connection; must be
 * thread-safe across connections. A runtime exception is answered with 500.
 */
@FunctionalInterface
public interface ReportReceiver {
    /**
     * @param contentType the request's {@code Content-Type} header, or {@code null} if it had none
     * @param body        the request body as received (possibly gzip-compressed, RFC 8460 §5.3), at most
     *                    {@link PolicyServer.Settings#maxReportBytes()} bytes
     */
    Reply receive(String contentType, byte[] body);
}

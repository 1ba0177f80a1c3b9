package io.github.jamesmtasts.tlsrpt.sending;

import io.github.jamesmtasts.https.HttpsClient;
import io.github.jamesmtasts.https.HttpsException;
import io.github.jamesmtasts.https.Limits;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;

/**
 * RFC 8460 §5.4: a report POSTed to an {@code https:} reporting URI through the extension's Netty
 * {@link HttpsClient}, so the receiver's certificate is validated by PKIX for its host name like a policy
 * host's. The answer's body is not needed; only its status counts.
 */
public final class HttpsReportUploader implements ReportUploader {
    /** The most of an answer's body read before it is dropped: receivers say little. */
    private static final int ANSWER_BYTES = 16 * 1024;

    private final HttpsClient https;
    private final Limits limits;

    public HttpsReportUploader(HttpsClient https, Duration timeout) {
        this.https = Objects.requireNonNull(https, "https");
        this.limits = Limits.of(ANSWER_BYTES, timeout);
    }

    @Override
    public int post(URI uri, String contentType, byte[] body) throws IOException {
        try {
            return https.post(uri, contentType, body, limits).get().status();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while posting to " + uri);
        } catch (ExecutionException e) {
            throw new IOException(uri + ": " + HttpsException.failureOf(e.getCause()), e.getCause());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}

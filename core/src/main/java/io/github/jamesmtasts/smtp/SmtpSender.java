package io.github.jamesmtasts.smtp;

import java.util.concurrent.CompletableFuture;

/**
 * Sends one message to one MX address under a TLS stance. The future never completes exceptionally:
 * every ending, network and TLS failures included, is a {@link SessionOutcome}. Implementations may
 * reuse connections between calls for the same target and stance.
 */
public interface SmtpSender extends AutoCloseable {
    CompletableFuture<SessionOutcome> send(MxTarget target, TlsStance stance, Envelope envelope, MessageContent content);

    /** Closes pooled connections (with {@code QUIT}) and releases threads. */
    @Override
    void close();
}

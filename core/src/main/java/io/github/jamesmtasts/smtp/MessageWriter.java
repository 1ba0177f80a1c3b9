package io.github.jamesmtasts.smtp;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;

/**
 * Sends the message after a 354 reply: {@link MessageContent#writeTo} runs on a worker thread (it
 * may block reading the message from James's store) into {@link WireLinesOutputStream}, then
 * {@link ContentOutputStream}, and the final dot is sent; the result is the server's reply to it.
 * For {@code BDAT} (RFC 3030), it renders the message into one buffer before anything is sent.
 */
final class MessageWriter {
    private static final int COPY_BUFFER = 8192;

    private final Executor executor;
    private final ByteBufAllocator allocator;
    private final Duration blockTimeout;
    private final Duration terminationTimeout;

    MessageWriter(Executor executor, ByteBufAllocator allocator, Duration blockTimeout, Duration terminationTimeout) {
        this.executor = executor;
        this.allocator = allocator;
        this.blockTimeout = blockTimeout;
        this.terminationTimeout = terminationTimeout;
    }

    /**
     * Sends {@code content} and returns the reply to the final dot; {@code beforeDot} runs just before the
     * last octets and the final dot are written. Fails with the connection's
     * error when the connection breaks, or with a {@link SessionEnd} when the message itself cannot
     * be read (the connection is then closed: RFC 5321 has no way to abort {@code DATA}).
     */
    CompletableFuture<SmtpReply> send(SmtpConnection connection, MessageContent content, Runnable beforeDot) {
        return CompletableFuture.supplyAsync(() -> write(connection, content), executor)
            .thenCompose(stream -> {
                beforeDot.run();
                return connection.endContent(stream.remainder(), stream.octets(), terminationTimeout);
            });
    }

    /** Ends an accepted {@code DATA} with no content: the lone dot of RFC 2920 §3.1. */
    CompletableFuture<SmtpReply> sendEmpty(SmtpConnection connection) {
        return connection.endContent(Unpooled.EMPTY_BUFFER, 0, terminationTimeout);
    }

    /**
     * The whole message as one {@code BDAT} chunk: CRLF line ends, no dot-stuffing (RFC 3030 §2). Fails with a
     * {@link SessionEnd} when the message cannot be read; nothing has been sent then, and the session stays usable.
     */
    CompletableFuture<ByteBuf> render(MessageContent content) {
        return CompletableFuture.supplyAsync(() -> {
            ByteBuf chunk = allocator.buffer((int) Math.min(Integer.MAX_VALUE - 8, content.size() + 2));
            try {
                copy(content, WireLinesOutputStream.forChunk(new ByteBufOutputStream(chunk)));
                return chunk;
            } catch (IOException | RuntimeException e) {
                chunk.release();
                throw SessionEnd.unreadableMessage(e);
            }
        }, executor);
    }

    private ContentOutputStream write(SmtpConnection connection, MessageContent content) {
        ContentOutputStream stream = new ContentOutputStream(connection, allocator, blockTimeout);
        try {
            copy(content, WireLinesOutputStream.forData(stream));
            return stream;
        } catch (IOException | RuntimeException e) {
            stream.discard();
            if (stream.failure() != null) {
                throw new CompletionException(stream.failure());
            }
            connection.close();
            throw SessionEnd.unreadableMessage(e);
        }
    }

    /** Writes the message through {@code lines}, buffered, and ends its last line. */
    private static void copy(MessageContent content, WireLinesOutputStream lines) throws IOException {
        OutputStream buffered = new BufferedOutputStream(lines, COPY_BUFFER);
        content.writeTo(buffered);
        buffered.flush();
        lines.finish();
    }
}

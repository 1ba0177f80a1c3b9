package io.github.jamesmtasts.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;

/**
 * Feeds message content into the connection as Netty {@code SmtpContent} chunks, from a thread
 * other than the event loop. At most {@value #WINDOW} chunks of {@value #CHUNK_SIZE} octets are in
 * flight: when the server reads slowly the writer waits, so a large message is never held whole in
 * memory. Waiting longer than the data block timeout (RFC 5321 §4.5.3.2.5) for a chunk to leave
 * fails the message.
 */
final class ContentOutputStream extends OutputStream {
    private static final int CHUNK_SIZE = 16 * 1024;
    private static final int WINDOW = 4;

    private final SmtpConnection connection;
    private final ByteBufAllocator allocator;
    private final Duration blockTimeout;
    private final Deque<ChannelFuture> inFlight = new ArrayDeque<>();
    private ByteBuf chunk;
    private long octets;
    private IOException failure;

    ContentOutputStream(SmtpConnection connection, ByteBufAllocator allocator, Duration blockTimeout) {
        this.connection = connection;
        this.allocator = allocator;
        this.blockTimeout = blockTimeout;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        int from = offset;
        int left = length;
        while (left > 0) {
            if (chunk == null) {
                chunk = allocator.buffer(CHUNK_SIZE, CHUNK_SIZE);
            }
            int n = Math.min(left, chunk.writableBytes());
            chunk.writeBytes(bytes, from, n);
            from += n;
            left -= n;
            if (!chunk.isWritable()) {
                send();
            }
        }
    }

    /** The failure this stream threw, if any: the connection's, as opposed to the message's. */
    IOException failure() {
        return failure;
    }

    /** Hands over what is not sent yet, for the {@code LastSmtpContent}; the stream is spent after. */
    ByteBuf remainder() {
        ByteBuf last = chunk == null ? Unpooled.EMPTY_BUFFER : chunk;
        octets += last.readableBytes();
        chunk = null;
        return last;
    }

    /** Octets written to the connection, after dot-stuffing. */
    long octets() {
        return octets;
    }

    /** Gives back a chunk not sent, when the message is abandoned. */
    void discard() {
        if (chunk != null) {
            chunk.release();
            chunk = null;
        }
    }

    private void send() throws IOException {
        while (inFlight.size() >= WINDOW) {
            awaitOldest();
        }
        ByteBuf full = chunk;
        chunk = null;
        octets += full.readableBytes();
        inFlight.add(connection.writeContent(full));
    }

    private void awaitOldest() throws IOException {
        ChannelFuture oldest = inFlight.peek();
        if (!oldest.awaitUninterruptibly(blockTimeout.toMillis())) {
            failure = new StepTimeoutException(SmtpStep.MESSAGE, blockTimeout);
            connection.close();
            throw failure;
        }
        if (!oldest.isSuccess()) {
            failure = new ConnectionLostException("the connection broke while the message was sent", oldest.cause());
            throw failure;
        }
        inFlight.poll();
    }
}

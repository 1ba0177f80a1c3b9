package io.github.jamesmtasts.smtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Commands written in one go (RFC 2920 §3.1): the reply each one will get, in order, and whether the
 * octets written behind them (a {@code BDAT} chunk) left in full. When the connection breaks half-way,
 * the replies that did arrive still tell what the server did.
 */
final class Pipelined {
    private final List<CompletableFuture<SmtpReply>> replies;
    private final CompletableFuture<Boolean> chunkSent;

    Pipelined(List<CompletableFuture<SmtpReply>> replies, CompletableFuture<Boolean> chunkSent) {
        this.replies = List.copyOf(replies);
        this.chunkSent = chunkSent;
    }

    /** Every reply, once all have come; fails as the first of them failed. */
    CompletableFuture<List<SmtpReply>> all() {
        return CompletableFuture.allOf(replies.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
            List<SmtpReply> all = new ArrayList<>();
            replies.forEach(reply -> all.add(reply.join()));
            return all;
        });
    }

    /** The reply to command {@code index}, if it came. */
    Optional<SmtpReply> arrived(int index) {
        CompletableFuture<SmtpReply> reply = replies.get(index);
        return reply.isDone() && !reply.isCompletedExceptionally() ? Optional.of(reply.join()) : Optional.empty();
    }

    /** Whether the chunk was written to the connection in full (false when there was none). */
    boolean chunkSent() {
        return chunkSent.getNow(false);
    }
}

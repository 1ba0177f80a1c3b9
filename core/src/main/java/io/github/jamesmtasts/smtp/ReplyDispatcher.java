package io.github.jamesmtasts.smtp;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each server reply to the command waiting for it, in order: one reply per command, so
 * pipelined commands (RFC 2920 §3.1) get their replies in the order they were sent. Each waiting
 * command has its own timer; when one fires, or the connection breaks, every waiting command fails
 * and the connection is closed. A reply that began before its command was sent (the server answering
 * ahead, or octets injected on the path) is unsolicited, like one for which no command waits. Lives on
 * the channel's event loop.
 */
final class ReplyDispatcher extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ReplyDispatcher.class);

    private final Deque<Waiting> waiting = new ArrayDeque<>();
    private final ReplyGuard guard = new ReplyGuard(this::discarded);
    private final Duration greetingTimeout;
    private final CompletableFuture<SmtpReply> greeting = new CompletableFuture<>();
    private volatile Transcript transcript;
    private ChannelHandlerContext context;
    private Throwable failure;

    ReplyDispatcher(Transcript transcript, Duration greetingTimeout) {
        this.transcript = transcript;
        this.greetingTimeout = greetingTimeout;
    }

    /** The handler that goes first in the pipeline, watching the octets of replies. */
    ReplyGuard guard() {
        return guard;
    }

    /** RFC 3207 §6: plaintext after the 220 to STARTTLS is never read; an honest server sends none. */
    private void discarded(int octets) {
        transcript.note("discarded " + octets + " octets sent in plaintext after the 220 reply to STARTTLS");
        LOG.warn("{} sent {} octets in plaintext after its 220 reply to STARTTLS: discarded (RFC 3207 §6)",
            context.channel().remoteAddress(), octets);
    }

    /** The server's first reply (RFC 5321 §3.1), awaited from the moment the connection is up. */
    CompletableFuture<SmtpReply> greeting() {
        return greeting;
    }

    /** Where the replies of the next exchanges are written down. */
    void transcript(Transcript next) {
        this.transcript = next;
    }

    Transcript transcript() {
        return transcript;
    }

    /** Registers a command waiting for its reply; call on the event loop, before the command is written. */
    CompletableFuture<SmtpReply> expect(SmtpStep step, Duration timeout) {
        CompletableFuture<SmtpReply> reply = new CompletableFuture<>();
        if (failure != null) {
            reply.completeExceptionally(failure);
            return reply;
        }
        Waiting entry = new Waiting(step, reply, guard.reads());
        entry.timer = context.executor().schedule(() -> timedOut(entry, timeout), timeout.toNanos(), TimeUnit.NANOSECONDS);
        waiting.add(entry);
        return reply;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.context = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        expect(SmtpStep.GREETING, greetingTimeout).whenComplete((reply, error) -> {
            if (error == null) {
                greeting.complete(reply);
            } else {
                greeting.completeExceptionally(error);
            }
        });
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof SmtpReply) {
            dispatch(ctx, (SmtpReply) message);
        } else {
            ctx.fireChannelRead(message);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Waiting head = waiting.peek();
        fail(new ConnectionLostException("the server closed the connection"
            + (head == null ? "" : " while waiting for the reply to " + head.step), null));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause);
        ctx.close();
    }

    /** The reason the connection can no longer be used, if it broke. */
    Throwable failure() {
        return failure;
    }

    private void dispatch(ChannelHandlerContext ctx, SmtpReply reply) {
        transcript.reply(reply);
        long began = guard.nextReplyStart();
        Waiting entry = waiting.peek();
        if (entry == null || began <= entry.sentAfterRead) {
            // RFC 5321 §4.1.1.10 / §3.8: a server may say 421 and close at any time; any other
            // unsolicited reply, or one that came before its command, means the two sides no longer agree.
            transcript.note(reply.isServiceClosing() ? "the server is closing the connection"
                : entry == null ? "unexpected reply, closing" : "a reply sent before its command, closing");
            fail(new ConnectionLostException("unsolicited reply from the server: " + reply, null));
            ctx.close();
            return;
        }
        waiting.poll();
        entry.timer.cancel(false);
        entry.reply.complete(reply);
    }

    private void timedOut(Waiting entry, Duration timeout) {
        if (waiting.contains(entry)) {
            transcript.note("timeout: no reply to " + entry.step + " within " + timeout.toMillis() + " ms");
            fail(new StepTimeoutException(entry.step, timeout));
            context.close();
        }
    }

    private void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        Waiting entry;
        while ((entry = waiting.poll()) != null) {
            entry.timer.cancel(false);
            entry.reply.completeExceptionally(cause);
        }
    }

    private static final class Waiting {
        private final SmtpStep step;
        private final CompletableFuture<SmtpReply> reply;
        private final long sentAfterRead;
        private ScheduledFuture<?> timer;

        Waiting(SmtpStep step, CompletableFuture<SmtpReply> reply, long sentAfterRead) {
            this.step = step;
            this.reply = reply;
            this.sentAfterRead = sentAfterRead;
        }
    }
}

package io.github.jamesmtasts.smtp;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.smtp.DefaultLastSmtpContent;
import io.netty.handler.codec.smtp.DefaultSmtpContent;
import io.netty.handler.codec.smtp.SmtpRequestEncoder;
import io.netty.handler.ssl.SslHandler;

/**
 * One TCP connection to an MX speaking SMTP through Netty's codec: commands out, replies in, each
 * reply matched to its command by {@link ReplyDispatcher}. The pipeline is
 * {@code [SslHandler] -> ReplyGuard -> ReplyDecoder -> SmtpRequestEncoder -> ReplyDispatcher};
 * the {@link SslHandler} goes in front after {@code STARTTLS}. Methods may be called from any thread.
 */
final class SmtpConnection {
    // RFC 5321 §4.5.3.1.5 allows reply lines of 512 octets; servers exceed it, so allow more.
    static final int MAX_REPLY_LINE = 8192;
    private static final String TLS = "tls";

    private final Channel channel;
    private final ReplyDispatcher dispatcher;
    private final ReplyGuard guard;

    private SmtpConnection(Channel channel, ReplyDispatcher dispatcher, ReplyGuard guard) {
        this.channel = channel;
        this.dispatcher = dispatcher;
        this.guard = guard;
    }

    /** Opens a connection; its greeting is then had from {@link #greeting()}. */
    static CompletableFuture<SmtpConnection> open(Bootstrap bootstrap, SocketAddress remote, Transcript transcript,
                                                  Duration greetingTimeout) {
        ReplyDispatcher dispatcher = new ReplyDispatcher(transcript, greetingTimeout);
        ReplyGuard guard = dispatcher.guard();
        Bootstrap connecting = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline()
                    .addLast(guard)
                    .addLast(new ReplyDecoder(MAX_REPLY_LINE))
                    .addLast(new SmtpRequestEncoder())
                    .addLast(dispatcher);
            }
        });
        CompletableFuture<SmtpConnection> opened = new CompletableFuture<>();
        connecting.connect(remote).addListener((ChannelFutureListener) future -> {
            if (future.isSuccess()) {
                opened.complete(new SmtpConnection(future.channel(), dispatcher, guard));
            } else {
                opened.completeExceptionally(future.cause());
            }
        });
        return opened;
    }

    /** The server's greeting (RFC 5321 §3.1), awaited since the connection came up. */
    CompletableFuture<SmtpReply> greeting() {
        return dispatcher.greeting();
    }

    /** Sends the next exchanges' commands and replies to another transcript (a reused connection's next message). */
    void transcript(Transcript next) {
        dispatcher.transcript(next);
    }

    /** Sends one command and returns its reply. */
    CompletableFuture<SmtpReply> send(Command command) {
        return onLoop(() -> {
            CompletableFuture<SmtpReply> reply = write(command);
            channel.flush();
            return reply;
        });
    }

    /** Sends commands in one write (RFC 2920 §3.1) and returns their replies, in order. */
    CompletableFuture<List<SmtpReply>> pipeline(List<Command> commands) {
        return pipeline(commands, Unpooled.EMPTY_BUFFER).thenCompose(Pipelined::all);
    }

    /**
     * Sends commands and then {@code chunk}, as it is, in one write: the octets of the last command's
     * {@code BDAT} (RFC 3030 §2, pipelined as RFC 2920 §3.1 allows). The chunk is released once written.
     */
    CompletableFuture<Pipelined> pipeline(List<Command> commands, ByteBuf chunk) {
        return onLoop(() -> {
            List<CompletableFuture<SmtpReply>> replies = new ArrayList<>();
            for (Command command : commands) {
                replies.add(write(command));
            }
            CompletableFuture<Boolean> chunkSent = new CompletableFuture<>();
            if (chunk.isReadable()) {
                dispatcher.transcript().command("<message content, " + chunk.readableBytes() + " octets>");
                channel.write(chunk).addListener((ChannelFutureListener) written -> {
                    chunkSent.complete(written.isSuccess());
                    if (!written.isSuccess()) {
                        written.channel().close();
                    }
                });
            } else {
                chunk.release();
                chunkSent.complete(false);
            }
            channel.flush();
            return CompletableFuture.completedFuture(new Pipelined(replies, chunkSent));
        });
    }

    /** Sends {@code STARTTLS} (RFC 3207 §4); after a 220 reply nothing more is read in plaintext. */
    CompletableFuture<SmtpReply> requestTls(Command startTls) {
        return onLoop(() -> {
            guard.startTlsSent();
            CompletableFuture<SmtpReply> reply = write(startTls);
            channel.flush();
            return reply;
        });
    }

    /**
     * Puts TLS under the connection after a 220 reply to {@code STARTTLS} and returns the session
     * once the handshake is done. Plaintext the server sent after its 220 was discarded (RFC 3207 §6).
     */
    CompletableFuture<SSLSession> startTls(SslHandler tls, Duration handshakeTimeout) {
        return onLoop(() -> {
            ChannelPipeline pipeline = channel.pipeline();
            CompletableFuture<SSLSession> session = new CompletableFuture<>();
            if (dispatcher.failure() != null) {
                session.completeExceptionally(dispatcher.failure());
                return session;
            }
            tls.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
            guard.tlsStarted();
            pipeline.addFirst(TLS, tls);
            tls.handshakeFuture().addListener(done -> {
                if (done.isSuccess()) {
                    session.complete(tls.engine().getSession());
                } else {
                    session.completeExceptionally(done.cause());
                }
            });
            return session;
        });
    }

    /** Writes one chunk of message content (already dot-stuffed); the future says when it left. */
    ChannelFuture writeContent(ByteBuf chunk) {
        return channel.writeAndFlush(new DefaultSmtpContent(chunk));
    }

    /** Writes the last chunk of content and the final dot, and returns the reply to it (RFC 5321 §4.1.1.4). */
    CompletableFuture<SmtpReply> endContent(ByteBuf lastChunk, long octets, Duration timeout) {
        return onLoop(() -> {
            CompletableFuture<SmtpReply> reply = dispatcher.expect(SmtpStep.DATA_END, timeout);
            dispatcher.transcript().command("<message content, " + octets + " octets>");
            dispatcher.transcript().command(".");
            channel.writeAndFlush(new DefaultLastSmtpContent(lastChunk)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            return reply;
        });
    }

    /** The server's end-entity certificate, once TLS is up. */
    Optional<X509Certificate> peerCertificate() {
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        if (tls == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate ? Optional.of((X509Certificate) chain[0]) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    boolean isOpen() {
        return channel.isActive() && dispatcher.failure() == null;
    }

    /** The local address of the connection (the sending MTA's IP, RFC 8460 §4.4 {@code sending-mta-ip}). */
    String localAddress() {
        SocketAddress local = channel.localAddress();
        return local instanceof InetSocketAddress ? ((InetSocketAddress) local).getAddress().getHostAddress() : String.valueOf(local);
    }

    String describe() {
        return localAddress() + " -> " + channel.remoteAddress();
    }

    /** Sends {@code QUIT} and closes once it is answered, or at its timeout (RFC 5321 §4.1.1.10). */
    CompletableFuture<Void> quit(Command quit) {
        return send(quit).handle((reply, error) -> null).thenCompose(ignored -> close());
    }

    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return channel.eventLoop().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    CompletableFuture<Void> close() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        channel.close().addListener(done -> closed.complete(null));
        return closed;
    }

    private CompletableFuture<SmtpReply> write(Command command) {
        CompletableFuture<SmtpReply> reply = dispatcher.expect(command.step(), command.timeout());
        dispatcher.transcript().command(command.toString());
        channel.write(command.request()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        return reply;
    }

    private <T> CompletableFuture<T> onLoop(Supplier<CompletableFuture<T>> action) {
        if (channel.eventLoop().inEventLoop()) {
            return action.get();
        }
        return CompletableFuture.supplyAsync(action, channel.eventLoop()).thenCompose(future -> future);
    }
}

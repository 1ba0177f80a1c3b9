package io.github.jamesmtasts.smtp;


import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The {@link SmtpSender} of this project, on Netty: one NIO event loop group for the connections,
 * a few worker threads that stream message bodies, and a pool of idle sessions for reuse.
 *
 * <p>Each {@link #send} runs one transaction on a session of the {@link ConnectionPool}: at most
 * {@link SmtpSettings#destinationConcurrencyLimit()} sessions per MX address and stance, messages beyond that
 * waiting (without a thread) for the next session to come free; no {@code RSET} before a reused session's
 * transaction. A session carries message after message until
 * it has carried {@link SmtpSettings#maxMessagesPerConnection()} or stayed idle for
 * {@link SmtpSettings#idleTimeout()}. A message with REQUIRETLS is always sent under an authenticating
 * stance (RFC 8689 §4.2.1: only to a next hop whose certificate was checked): DANE when the host has it, else verified.
 */
public final class NettySmtpSender implements SmtpSender {
    private static final Logger LOGGER = LoggerFactory.getLogger(NettySmtpSender.class);
    // close() waits this long for the QUIT of idle sessions before it stops the threads.
    private static final long CLOSE_GRACE_MILLIS = 5_000;

    private final SmtpSettings settings;
    private final Commands commands;
    private final EventLoopGroup group;
    private final ExecutorService bodyWriters;
    private final SessionOpener opener;
    private final MailTransaction transaction;
    private final ConnectionPool pool;
    private volatile boolean closed;

    public NettySmtpSender(SmtpSettings settings) {
        this.settings = settings;
        this.commands = new Commands(settings);
        this.group = new NioEventLoopGroup(settings.ioThreads(), new DefaultThreadFactory("smtp-io", true));
        this.bodyWriters = Executors.newCachedThreadPool(new DefaultThreadFactory("smtp-body", true));
        Bootstrap bootstrap = new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()))
            .option(ChannelOption.SO_KEEPALIVE, true)
            .option(ChannelOption.TCP_NODELAY, true);
        settings.bindAddress().ifPresent(address -> bootstrap.localAddress(new InetSocketAddress(address, 0)));
        this.opener = new SessionOpener(settings, commands, new TlsHandlers(settings.trustAnchors()), bootstrap);
        this.transaction = new MailTransaction(commands, new MessageWriter(bodyWriters, ByteBufAllocator.DEFAULT,
            settings.dataBlockTimeout(), settings.dataTerminationTimeout()), settings.chunkingMaxSize());
        this.pool = new ConnectionPool(settings.destinationConcurrencyLimit(), settings.idleTimeout(), this::retire);
    }

    @Override
    public CompletableFuture<SessionOutcome> send(MxTarget target, TlsStance stance, Envelope envelope, MessageContent content) {
        Attempt attempt = new Attempt();
        if (closed) {
            return CompletableFuture.completedFuture(attempt.ended(new IllegalStateException("the SMTP sender is closed")));
        }
        TlsStance effective = envelope.requireTls() && stance != TlsStance.DANE ? TlsStance.VERIFIED : stance;
        Destination destination = new Destination(target, effective);
        return pool.acquire(destination)
            .thenCompose(lease -> lease.session() == null
                ? open(destination, attempt).thenCompose(session -> transact(destination, session, false, envelope, content, attempt))
                : transact(destination, reused(lease.session(), attempt), true, envelope, content, attempt))
            .handle((outcome, error) -> error == null ? outcome : attempt.ended(error))
            .whenComplete((outcome, error) -> LOGGER.debug("{} {}: {}", target, envelope, outcome));
    }

    /**
     * Opens a session with an MX host under the verified stance and QUITs it without mail: what a checker
     * asks (RFC 8461 §4.2), classified as a delivery attempt would be.
     */
    public CompletableFuture<MxProbe> probe(MxTarget target) {
        return probe(target, TlsStance.VERIFIED);
    }

    /** {@link #probe(MxTarget)} under a stance of the caller's: DANE for a target with TLSA records. */
    public CompletableFuture<MxProbe> probe(MxTarget target, TlsStance stance) {
        Attempt attempt = new Attempt();
        return opener.open(target, stance, attempt)
            .thenApply(session -> {
                MxProbe probe = MxProbe.verified(target, session.connection().peerCertificate(), session.capabilities().requireTls());
                retire(session);
                return probe;
            })
            .exceptionally(error -> MxProbe.failed(target, attempt.ended(error)));
    }

    /** The number of idle sessions kept for reuse. */
    public int idleSessions() {
        return pool.idleCount();
    }

    /** QUITs idle sessions (waiting for them a few seconds at most) and stops the threads. */
    @Override
    public void close() {
        closed = true;
        List<SmtpSession> idle = pool.close();
        CompletableFuture<?>[] quits = idle.stream().map(this::retire).toArray(CompletableFuture<?>[]::new);
        try {
            CompletableFuture.allOf(quits).get(CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOGGER.debug("idle SMTP sessions did not all end cleanly", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS).syncUninterruptibly();
        bodyWriters.shutdownNow();
    }

    private static SmtpSession reused(SmtpSession session, Attempt attempt) {
        session.connection().transcript(attempt.transcript());
        attempt.transcript().note("reusing " + session);
        return session;
    }

    /**
     * One transaction on {@code session}, which then goes back to the pool. Neither a session just handed on by another
     * message (its transaction ended, so the server's state is reset, RFC 5321 §4.1.1.4) nor an idle one is checked
     * with {@code RSET} first: that round trip is saved for every message. Instead, when a reused session turns out
     * closed before the server answered {@code MAIL} (lost while idle, or a {@code 421}, RFC 5321 §3.8, as servers that
     * limit the messages per connection answer), nothing of the message was sent, and the transaction runs again, once,
     * on a new session in the same place of the destination's limit.
     */
    private CompletableFuture<SessionOutcome> transact(Destination destination, SmtpSession session, boolean reused,
                                                       Envelope envelope, MessageContent content, Attempt attempt) {
        attempt.on(session, envelope.recipientDomain());
        return transaction.run(session, envelope, content, attempt).handle((outcome, error) -> {
            if (error != null && reused && closedBeforeMail(error, attempt)) {
                retire(session);
                attempt.transcript().note("the reused connection was closed before it answered MAIL; opening a new one");
                return open(destination, attempt).thenCompose(fresh -> transact(destination, fresh, false, envelope, content, attempt));
            }
            release(destination, session);
            return error == null ? CompletableFuture.completedFuture(outcome) : CompletableFuture.<SessionOutcome>failedFuture(error);
        }).thenCompose(next -> next);
    }

    private static boolean closedBeforeMail(Throwable error, Attempt attempt) {
        if (attempt.step() != SmtpStep.MAIL) {
            return false;
        }
        SessionEnd end = SessionEnd.of(error, attempt.step());
        return end.kind() == SessionOutcome.Kind.NETWORK_FAILURE || end.reply() != null && end.reply().isServiceClosing();
    }

    /** A new session in the place the lease holds; a failed open gives the place up. */
    private CompletableFuture<SmtpSession> open(Destination destination, Attempt attempt) {
        return opener.open(destination.target(), destination.stance(), attempt).whenComplete((session, error) -> {
            if (error != null) {
                pool.abandon(destination);
            }
        });
    }

    private void release(Destination destination, SmtpSession session) {
        pool.release(destination, session,
            session.messages() < settings.maxMessagesPerConnection() && !closed);
    }

    private CompletableFuture<Void> retire(SmtpSession session) {
        return session.quit(commands.quit());
    }
}

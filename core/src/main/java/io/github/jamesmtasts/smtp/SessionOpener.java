package io.github.jamesmtasts.smtp;

import io.github.jamesmtasts.result.Failure;
import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.tls.TlsFailureClassifier;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;

/**
 * Opens a session with an MX: connect, greeting, {@code EHLO} (or {@code HELO}), then STARTTLS as
 * the stance says and {@code EHLO} again over TLS (RFC 5321 §3.1-§3.2, RFC 3207 §4).
 *
 * <p>Mandatory stances (verified, RFC 8461 §4.2; DANE and encrypted, RFC 7672 §2.2): no STARTTLS in the EHLO
 * reply, a refused STARTTLS or a failed handshake ends the attempt as a TLS failure; it never goes on in plaintext. Opportunistic stance
 * (RFC 3207, RFC 7435 §6.2): STARTTLS when offered; a refused STARTTLS goes on in plaintext on the
 * same connection; a failed handshake leaves that connection unusable, so, like common MTAs, the
 * attempt starts over on a new connection without trying TLS, and the TLS failure stays in the outcome.
 * A handshake that does not finish within the command timeout is a TLS failure too.
 */
final class SessionOpener {
    // RFC 5321 §4.2.4: 500/502 say EHLO is not understood, the cue to fall back to HELO (§3.2).
    private static final int SYNTAX_ERROR = 500;
    private static final int NOT_IMPLEMENTED = 502;
    // RFC 3207 §4: "220 Ready to start TLS".
    private static final int READY_TO_START_TLS = 220;
    /** The {@code failure-reason-code} (RFC 8460 §4.4) of a TLS handshake that did not finish in time. */
    static final String HANDSHAKE_TIMEOUT = "tls-handshake-timeout";

    private final SmtpSettings settings;
    private final Commands commands;
    private final TlsHandlers tlsPolicy;
    private final Bootstrap bootstrap;

    SessionOpener(SmtpSettings settings, Commands commands, TlsHandlers tlsPolicy, Bootstrap bootstrap) {
        this.settings = settings;
        this.commands = commands;
        this.tlsPolicy = tlsPolicy;
        this.bootstrap = bootstrap;
    }

    CompletableFuture<SmtpSession> open(MxTarget target, TlsStance stance, Attempt attempt) {
        CompletableFuture<SmtpSession> first = open(target, stance, attempt, true);
        if (stance.mandatory()) {
            return first;
        }
        return first.handle((session, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(session);
            }
            SessionEnd end = SessionEnd.of(error, attempt.step());
            if (end.kind() != SessionOutcome.Kind.TLS_FAILURE) {
                return CompletableFuture.<SmtpSession>failedFuture(end);
            }
            attempt.transcript().note("opportunistic TLS failed (" + end.tlsFailure() + "); new connection in plaintext");
            attempt.tlsFailed(end.tlsFailure());
            return open(target, stance, attempt, false);
        }).thenCompose(session -> session);
    }

    private CompletableFuture<SmtpSession> open(MxTarget target, TlsStance stance, Attempt attempt, boolean tryTls) {
        attempt.at(SmtpStep.CONNECT);
        InetSocketAddress remote = new InetSocketAddress(target.address(), target.port());
        attempt.transcript().note("connecting to " + target);
        return SmtpConnection.open(bootstrap, remote, attempt.transcript(), settings.greetingTimeout())
            .thenCompose(connection -> {
                attempt.connectedFrom(connection.localAddress());
                attempt.transcript().note("connected " + connection.describe());
                CompletableFuture<SmtpSession> session = greet(connection, attempt)
                    .thenCompose(capabilities -> secure(connection, capabilities, target, stance, attempt, tryTls));
                session.whenComplete((opened, error) -> {
                    if (error != null) {
                        connection.quit(commands.quit());
                    }
                });
                return session;
            });
    }

    private CompletableFuture<EhloCapabilities> greet(SmtpConnection connection, Attempt attempt) {
        attempt.at(SmtpStep.GREETING);
        return connection.greeting().thenCompose(greeting -> {
            if (!greeting.isPositiveCompletion()) {
                throw SessionEnd.refused(SmtpStep.GREETING, greeting);
            }
            return hello(connection, attempt);
        });
    }

    /** EHLO, or HELO when the server does not understand EHLO (RFC 5321 §3.2). */
    private CompletableFuture<EhloCapabilities> hello(SmtpConnection connection, Attempt attempt) {
        attempt.at(SmtpStep.EHLO);
        return connection.send(commands.ehlo()).thenCompose(reply -> {
            if (reply.isPositiveCompletion()) {
                return CompletableFuture.completedFuture(EhloCapabilities.parse(reply));
            }
            if (reply.code() != SYNTAX_ERROR && reply.code() != NOT_IMPLEMENTED) {
                throw SessionEnd.refused(SmtpStep.EHLO, reply);
            }
            return connection.send(commands.helo()).thenApply(helo -> {
                if (!helo.isPositiveCompletion()) {
                    throw SessionEnd.refused(SmtpStep.EHLO, helo);
                }
                return EhloCapabilities.none();
            });
        });
    }

    private CompletableFuture<SmtpSession> secure(SmtpConnection connection, EhloCapabilities capabilities, MxTarget target,
                                                  TlsStance stance, Attempt attempt, boolean tryTls) {
        if (stance.mandatory() && !capabilities.startTls()) {
            throw SessionEnd.tls(SmtpStep.EHLO, TlsFailureClassifier.starttlsNotSupported(
                "the MX " + target.hostname() + " did not offer STARTTLS in its EHLO reply"));
        }
        if (!tryTls || !capabilities.startTls()) {
            return CompletableFuture.completedFuture(new SmtpSession(connection, capabilities, false));
        }
        attempt.at(SmtpStep.STARTTLS);
        return connection.requestTls(commands.startTls()).thenCompose(reply -> {
            if (reply.code() == READY_TO_START_TLS) {
                return handshake(connection, target, stance, attempt)
                    .thenCompose(tls -> hello(connection, attempt))
                    .thenApply(secured -> new SmtpSession(connection, secured, true));
            }
            if (stance.mandatory()) {
                throw SessionEnd.tls(SmtpStep.STARTTLS, TlsFailureClassifier.starttlsNotSupported(
                    "the MX " + target.hostname() + " answered " + reply + " to STARTTLS"));
            }
            // RFC 3207 §4: after a refused STARTTLS the session goes on as before, in plaintext.
            attempt.transcript().note("STARTTLS refused; going on in plaintext");
            return CompletableFuture.completedFuture(new SmtpSession(connection, capabilities, false));
        });
    }

    private SslHandler handler(MxTarget target, TlsStance stance) {
        switch (stance) {
            case VERIFIED:
                return tlsPolicy.verifiedHandler(ByteBufAllocator.DEFAULT, target.hostname(), target.port());
            case DANE:
                return tlsPolicy.daneHandler(target.tlsa().orElseThrow(() -> new IllegalArgumentException(
                    "the DANE stance needs the TLSA records of " + target)), target.port());
            default:
                return tlsPolicy.opportunisticHandler(ByteBufAllocator.DEFAULT, target.hostname(), target.port());
        }
    }

    private CompletableFuture<SSLSession> handshake(SmtpConnection connection, MxTarget target, TlsStance stance, Attempt attempt) {
        attempt.at(SmtpStep.TLS_HANDSHAKE);
        SslHandler handler;
        try {
            handler = handler(target, stance);
        } catch (IllegalArgumentException e) {
            throw SessionEnd.tls(SmtpStep.TLS_HANDSHAKE, Failure.of(ResultType.VALIDATION_FAILURE,
                "the MX name " + target.hostname() + " cannot be checked against a certificate: " + e.getMessage()));
        }
        return connection.startTls(handler, settings.commandTimeout()).handle((session, error) -> {
            if (error == null) {
                attempt.tlsEstablished();
                attempt.transcript().note("TLS established: " + session.getProtocol() + " " + session.getCipherSuite());
                return session;
            }
            Throwable cause = SessionEnd.unwrap(error);
            if (cause instanceof SslHandshakeTimeoutException) {
                throw SessionEnd.tls(SmtpStep.TLS_HANDSHAKE, Failure.of(ResultType.VALIDATION_FAILURE,
                    "no TLS handshake with " + target + " within " + settings.commandTimeout().toMillis() + " ms", HANDSHAKE_TIMEOUT));
            }
            if (cause instanceof SSLException) {
                throw SessionEnd.tls(SmtpStep.TLS_HANDSHAKE, TlsFailureClassifier.classifyHandshakeFailure(cause));
            }
            throw new CompletionException(cause);
        });
    }
}

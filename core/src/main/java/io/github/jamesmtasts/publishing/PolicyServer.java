package io.github.jamesmtasts.publishing;

import io.github.jamesmtasts.policy.PolicyFetcher;
import io.github.jamesmtasts.settings.Durations;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * The HTTPS listener of the policy hosts (RFC 8461 §3.3): answers
 * {@code GET https://mta-sts.<domain>/.well-known/mta-sts.txt} with the {@link PublishedPolicies published policy}
 * of the domain, and hands TLS-RPT reports posted to {@link Settings#reportPath()} to a {@link ReportReceiver}.
 *
 * <ul>
 *   <li>The certificate is chosen by the client's SNI from a {@link CertificateDirectory}, asked on every
 *       handshake, which the server re-reads every {@link Settings#reloadInterval()}: renewed certificates are
 *       served without a restart.</li>
 *   <li>{@code GET} and {@code HEAD} of the policy path: 200 {@code text/plain} with the policy for the
 *       {@code Host} of a published policy, else 404; other methods 405. {@code POST} of the report path: what
 *       the receiver replies; other methods 405. Any other path: 404.</li>
 *   <li>A request body longer than {@link Settings#maxReportBytes()} is refused with 413 before it is read
 *       whole. Each request (handshake included, for the first) must arrive whole within
 *       {@link Settings#timeout()} of the connection or of the previous response, or the connection is closed;
 *       connections beyond {@link Settings#maxConnections()} are closed at once.</li>
 * </ul>
 */
public final class PolicyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyServer.class);
    /** RFC 8461 §3.3: the policy's media type. */
    private static final String POLICY_MEDIA_TYPE = "text/plain";
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final int HANDLER_THREADS = 2;

    /** How long closing waits for the threads to fall quiet, so that closed connections finish their clean-up. */
    private static final long QUIET_MILLIS = 100;
    private static final long STOP_MILLIS = 2000;

    private final EventLoopGroup network;
    private final EventExecutorGroup handlers;
    private final Channel listener;
    private final ChannelGroup connections;
    private final ScheduledFuture<?> reloads;

    private PolicyServer(EventLoopGroup network, EventExecutorGroup handlers, Channel listener, ChannelGroup connections,
                         ScheduledFuture<?> reloads) {
        this.network = network;
        this.handlers = handlers;
        this.listener = listener;
        this.connections = connections;
        this.reloads = reloads;
    }

    /**
     * Starts listening on {@code bind} (port 0 for any free port).
     *
     * @throws IllegalStateException if the address cannot be bound
     */
    public static PolicyServer start(InetSocketAddress bind, CertificateDirectory certificates, PublishedPolicies policies,
                                     ReportReceiver reports, Settings settings) {
        Objects.requireNonNull(certificates, "certificates");
        Objects.requireNonNull(policies, "policies");
        Objects.requireNonNull(reports, "reports");
        Objects.requireNonNull(settings, "settings");
        EventLoopGroup network = new NioEventLoopGroup(0, new DefaultThreadFactory("mta-sts-policy-server", true));
        EventExecutorGroup handlers = new DefaultEventExecutorGroup(HANDLER_THREADS,
            new DefaultThreadFactory("mta-sts-policy-requests", true));
        ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        ConnectionLimit limit = new ConnectionLimit(connections, settings.maxConnections);
        Exchange exchange = new Exchange(policies, reports, settings.reportPath);
        ServerBootstrap bootstrap = new ServerBootstrap()
            .group(network)
            .channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel channel) {
                    channel.pipeline()
                        .addLast(limit)
                        .addLast(new SniHandler(host -> contextFor(certificates, host)))
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpServerKeepAliveHandler())
                        .addLast(new HttpObjectAggregator(settings.maxReportBytes))
                        .addLast(new Deadline(settings.timeout))
                        .addLast(handlers, exchange);
                }
            });
        try {
            Channel listener = bootstrap.bind(bind).syncUninterruptibly().channel();
            long every = settings.reloadInterval.toMillis();
            ScheduledFuture<?> reloads = handlers.scheduleWithFixedDelay(() -> reload(certificates), every, every,
                TimeUnit.MILLISECONDS);
            LOG.info("Serving MTA-STS policies on {}", listener.localAddress());
            return new PolicyServer(network, handlers, listener, connections, reloads);
        } catch (RuntimeException e) {
            network.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            handlers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen for HTTPS on " + bind, e);
        }
    }

    /** RFC 8461 §3.3: the certificate of the policy host the client names by SNI; without SNI, the default one. */
    private static SslContext contextFor(CertificateDirectory certificates, String sniHost) {
        // RFC 8461 §3.3: senders send SNI and check the policy host's name in the certificate.
        Optional<SslContext> named = sniHost == null ? Optional.empty() : certificates.contextFor(sniHost);
        return named.or(certificates::defaultContext)
            .orElseThrow(() -> new IllegalStateException("no usable certificate to present to " + sniHost));
    }

    /** A failed reload must not end the schedule. */
    private static void reload(CertificateDirectory certificates) {
        try {
            certificates.reloadIfChanged();
        } catch (RuntimeException e) {
            LOG.warn("Cannot reload the policy hosts' certificates", e);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    public int port() {
        return address().getPort();
    }

    /** Stops listening, closes every connection and stops the threads. */
    @Override
    public void close() {
        reloads.cancel(false);
        listener.close().syncUninterruptibly();
        connections.close().syncUninterruptibly();
        network.shutdownGracefully(QUIET_MILLIS, STOP_MILLIS, TimeUnit.MILLISECONDS);
        handlers.shutdownGracefully(QUIET_MILLIS, STOP_MILLIS, TimeUnit.MILLISECONDS);
        network.terminationFuture().syncUninterruptibly();
        handlers.terminationFuture().syncUninterruptibly();
    }

    /** Answers one whole request. */
    @ChannelHandler.Sharable
    private static final class Exchange extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final PublishedPolicies policies;
        private final ReportReceiver reports;
        private final String reportPath;

        Exchange(PublishedPolicies policies, ReportReceiver reports, String reportPath) {
            this.policies = policies;
            this.reports = reports;
            this.reportPath = reportPath;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (request.decoderResult().isFailure()) {
                HttpUtil.setKeepAlive(request, false);
                send(ctx, request, text(HttpResponseStatus.BAD_REQUEST, "malformed request\n"));
                return;
            }
            String path = new QueryStringDecoder(request.uri()).path();
            // RFC 8461 §3.2: the policy lives at the well-known path /.well-known/mta-sts.txt of the policy host.
            if (PolicyFetcher.WELL_KNOWN_PATH.equals(path)) {
                send(ctx, request, policy(request));
            } else if (reportPath.equals(path)) {
                send(ctx, request, report(request));
            } else {
                send(ctx, request, text(HttpResponseStatus.NOT_FOUND, "no such path\n"));
            }
        }

        private FullHttpResponse policy(FullHttpRequest request) {
            if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
                return notAllowed("GET, HEAD");
            }
            // RFC 8461 §3.3: the policy host is named by the Host header; the policy is served as text/plain.
            String host = request.headers().get(HttpHeaderNames.HOST);
            return policies.forHost(host)
                .map(policy -> response(HttpResponseStatus.OK, POLICY_MEDIA_TYPE, policy.text()))
                .orElseGet(() -> text(HttpResponseStatus.NOT_FOUND, "no MTA-STS policy for " + host + "\n"));
        }

        private FullHttpResponse report(FullHttpRequest request) {
            if (!HttpMethod.POST.equals(request.method())) {
                return notAllowed("POST");
            }
            try {
                Reply reply = reports.receive(request.headers().get(HttpHeaderNames.CONTENT_TYPE),
                    ByteBufUtil.getBytes(request.content()));
                return text(HttpResponseStatus.valueOf(reply.status()), reply.body());
            } catch (RuntimeException e) {
                LOG.warn("The TLS-RPT report receiver failed", e);
                return text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "the report could not be handled\n");
            }
        }

        private static FullHttpResponse notAllowed(String allowed) {
            FullHttpResponse response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "only " + allowed + "\n");
            response.headers().set(HttpHeaderNames.ALLOW, allowed);
            return response;
        }

        private static FullHttpResponse text(HttpResponseStatus status, String body) {
            return response(status, TEXT, body);
        }

        private static FullHttpResponse response(HttpResponseStatus status, String contentType, String body) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            return response;
        }

        /** The response; for HEAD without its body, its headers unchanged (RFC 9110 §9.3.2). */
        private static void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
            FullHttpResponse sent = HttpMethod.HEAD.equals(request.method())
                ? response.replace(Unpooled.EMPTY_BUFFER) : response;
            if (sent != response) {
                response.release();
            }
            if (!HttpUtil.isKeepAlive(request)) {
                HttpUtil.setKeepAlive(sent, false);
            }
            ctx.writeAndFlush(sent);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("Closing the policy host connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    /**
     * Closes a connection whose next request does not arrive whole within the timeout of the connection's
     * start or of the previous response: a slow client cannot hold a connection open for ever.
     */
    private static final class Deadline extends ChannelDuplexHandler {
        private final Duration timeout;
        private ScheduledFuture<?> expiry;

        Deadline(Duration timeout) {
            this.timeout = timeout;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            arm(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (message instanceof FullHttpRequest) {
                disarm();
            }
            ctx.fireChannelRead(message);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
            if (message instanceof LastHttpContent) {
                ChannelPromise written = promise.unvoid();
                written.addListener(done -> arm(ctx));
                ctx.write(message, written);
            } else {
                ctx.write(message, promise);
            }
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            disarm();
        }

        private void arm(ChannelHandlerContext ctx) {
            disarm();
            if (ctx.channel().isOpen()) {
                expiry = ctx.executor().schedule(() -> {
                    LOG.debug("Closing the policy host connection from {}: no request within {}",
                        ctx.channel().remoteAddress(), timeout);
                    ctx.close();
                }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        private void disarm() {
            if (expiry != null) {
                expiry.cancel(false);
                expiry = null;
            }
        }
    }

    /** Keeps the open connections (for {@link #close()}), and closes those beyond the limit as soon as they open. */
    @ChannelHandler.Sharable
    private static final class ConnectionLimit extends ChannelInboundHandlerAdapter {
        private final ChannelGroup open;
        private final OptionalInt max;

        ConnectionLimit(ChannelGroup open, OptionalInt max) {
            this.open = open;
            this.max = max;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (max.isPresent() && open.size() >= max.getAsInt()) {
                LOG.warn("Refusing the policy host connection from {}: {} connections are open",
                    ctx.channel().remoteAddress(), max.getAsInt());
                ctx.close();
                return;
            }
            open.add(ctx.channel());
            ctx.fireChannelActive();
        }
    }

    /** How the server listens. Immutable; made with {@link #builder()}. */
    public static final class Settings {
        private final String reportPath;
        private final int maxReportBytes;
        private final Duration reloadInterval;
        private final Duration timeout;
        private final OptionalInt maxConnections;

        private Settings(Builder builder) {
            this.reportPath = builder.reportPath;
            this.maxReportBytes = builder.maxReportBytes;
            this.reloadInterval = builder.reloadInterval;
            this.timeout = builder.timeout;
            this.maxConnections = builder.maxConnections;
        }

        /** The defaults: see each builder method. */
        public static Settings defaults() {
            return builder().build();
        }

        public static Builder builder() {
            return new Builder();
        }

        public String reportPath() {
            return reportPath;
        }

        public int maxReportBytes() {
            return maxReportBytes;
        }

        public Duration reloadInterval() {
            return reloadInterval;
        }

        public Duration timeout() {
            return timeout;
        }

        public OptionalInt maxConnections() {
            return maxConnections;
        }

        @Override
        public String toString() {
            return "reportPath=" + reportPath + " maxReportBytes=" + maxReportBytes + " reloadInterval=" + reloadInterval
                + " timeout=" + timeout + " maxConnections=" + maxConnections;
        }

        /** Builds {@link Settings}. */
        public static final class Builder {
            private String reportPath = "/tlsrpt";
            private int maxReportBytes = 1024 * 1024;
            private Duration reloadInterval = Duration.ofMinutes(1);
            private Duration timeout = Duration.ofSeconds(30);
            private OptionalInt maxConnections = OptionalInt.empty();

            private Builder() {
            }

            /**
             * The path TLS-RPT reports are posted to: the path of the {@code https:} {@code rua} of the domains'
             * {@code _smtp._tls} records (RFC 8460 §3). Default {@code /tlsrpt}: RFC 8460 defines no path, and
             * {@code /.well-known/} names are only for registered uses (RFC 8615 §3).
             */
            public Builder reportPath(String reportPath) {
                if (!reportPath.startsWith("/") || reportPath.equals(PolicyFetcher.WELL_KNOWN_PATH)) {
                    throw new IllegalArgumentException("not a path for reports: " + reportPath);
                }
                this.reportPath = reportPath;
                return this;
            }

            /** The largest request body read; a longer one is answered 413. Default 1 MiB. */
            public Builder maxReportBytes(int maxReportBytes) {
                if (maxReportBytes < 1) {
                    throw new IllegalArgumentException("maxReportBytes must be positive: " + maxReportBytes);
                }
                this.maxReportBytes = maxReportBytes;
                return this;
            }

            /** How often the certificate directory is checked for changed files. Default 1 minute. */
            public Builder reloadInterval(Duration reloadInterval) {
                this.reloadInterval = Durations.positive(reloadInterval, "reloadInterval");
                return this;
            }

            /** How long a connection may take to send its next whole request. Default 30 seconds. */
            public Builder timeout(Duration timeout) {
                this.timeout = Durations.positive(timeout, "timeout");
                return this;
            }

            /** At most this many connections at once; more are closed as they open. Default no limit. */
            public Builder maxConnections(int maxConnections) {
                if (maxConnections < 1) {
                    throw new IllegalArgumentException("maxConnections must be positive: " + maxConnections);
                }
                this.maxConnections = OptionalInt.of(maxConnections);
                return this;
            }

            public Settings build() {
                return new Settings(this);
            }
        }
    }
}

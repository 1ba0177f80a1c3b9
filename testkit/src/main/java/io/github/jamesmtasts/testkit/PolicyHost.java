package io.github.jamesmtasts.testkit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An HTTPS server on a loopback address (port 443 unless told otherwise) presenting a
 * {@link TestCa} certificate: the policy host of MTA-STS (RFC 8461 §3.3) or the HTTPS endpoint
 * of TLS-RPT (RFC 8460 §3) for tests. Built on Netty.
 *
 * <p>Each path answers with a scripted {@link Response} (status, content type, body, headers,
 * delay, slow "drip" body, chunked or lying framing, HTTP/1.0, an end by TLS close_notify alone);
 * unknown paths answer 404. Any method is accepted, and every request is logged with its body
 * ({@link #requests()}). Responses and the certificate may change while the server runs; new
 * requests (or connections) see the change. All methods are thread-safe.
 */
public final class PolicyHost implements AutoCloseable {
    private static final int MAX_REQUEST_BODY = 16 * 1024 * 1024;
    private static final Response NOT_FOUND = Response.status(404).contentType("text/plain").body("no such path\n");

    private final EventLoopGroup loop = new NioEventLoopGroup(1, new DefaultThreadFactory("policy-host", true));
    private final Map<String, Response> responses = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Channel listener;
    private volatile SSLContext tls;

    private PolicyHost(InetAddress bind, int port, TestCa.Issued certificate) {
        this.tls = certificate.serverContext();
        ServerBootstrap bootstrap = new ServerBootstrap()
            .group(loop)
            .channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel channel) {
                    channel.pipeline().addLast(
                        new SslHandler(serverEngine()),
                        new HttpServerCodec(),
                        new HttpObjectAggregator(MAX_REQUEST_BODY),
                        new Exchange());
                }
            });
        try {
            this.listener = bootstrap.bind(new InetSocketAddress(bind, port)).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot bind an HTTPS server on " + bind + ":" + port, e);
        }
    }

    /** Starts a policy host on port 443 of a loopback address. */
    public static PolicyHost start(InetAddress bind, TestCa.Issued certificate) {
        return start(bind, 443, certificate);
    }

    /** Starts a policy host on a loopback address and port (0 for any free port). */
    public static PolicyHost start(InetAddress bind, int port, TestCa.Issued certificate) {
        return new PolicyHost(LoopbackAddresses.requireLoopback(bind), port, certificate);
    }

    /** 200 with {@code Content-Type: text/plain} and this body: a policy file as RFC 8461 §3.2 serves it. */
    public static Response policy(String text) {
        return Response.status(200).contentType("text/plain").body(text);
    }

    /** A redirect to {@code location} (which RFC 8461 §3.3 forbids policy fetchers to follow). */
    public static Response redirect(int status, String location) {
        return Response.status(status).header("Location", location);
    }

    public InetAddress address() {
        return ((InetSocketAddress) listener.localAddress()).getAddress();
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Answers requests for {@code path} (the request-target without its query) with {@code response}. */
    public PolicyHost respond(String path, Response response) {
        responses.put(path, response);
        return this;
    }

    /** Makes {@code path} unknown again (404). */
    public PolicyHost remove(String path) {
        responses.remove(path);
        return this;
    }

    /** Presents this certificate on connections made from now on. */
    public PolicyHost certificate(TestCa.Issued certificate) {
        this.tls = certificate.serverContext();
        return this;
    }

    /** Every request received so far, oldest first. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private SSLEngine serverEngine() {
        SSLEngine engine = tls.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        return engine;
    }

    /** Logs each request and plays its scripted response. */
    private final class Exchange extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            SSLEngine engine = ctx.pipeline().get(SslHandler.class).engine();
            requests.add(Request.of(request, TlsSessions.serverName(engine.getSession()), engine.getSession().getProtocol()));
            Response response = responses.getOrDefault(new QueryStringDecoder(request.uri()).path(), NOT_FOUND);
            boolean keepAlive = HttpUtil.isKeepAlive(request) && response.keepsConnection();
            ctx.executor().schedule(() -> play(ctx, response, keepAlive), response.delay.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // a client that gives up on the handshake or the connection is part of what tests do
            ctx.close();
        }

        private void play(ChannelHandlerContext ctx, Response response, boolean keepAlive) {
            HttpResponse head = new DefaultHttpResponse(response.version, HttpResponseStatus.valueOf(response.status));
            if (response.contentType != null) {
                head.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType);
            }
            response.headers.forEach(header -> head.headers().add(header[0], header[1]));
            switch (response.framing) {
                case CONTENT_LENGTH:
                    head.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.declaredLength());
                    break;
                case CHUNKED:
                    HttpUtil.setTransferEncodingChunked(head, true);
                    break;
                case UNTIL_CLOSE:
                    break;
            }
            if (!keepAlive) {
                head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            ctx.writeAndFlush(head);
            drip(ctx, response, 0, keepAlive);
        }

        /** Writes the body from {@code offset}: at once, or a piece per drip interval. */
        private void drip(ChannelHandlerContext ctx, Response response, int offset, boolean keepAlive) {
            if (!ctx.channel().isActive()) {
                return;
            }
            int end = response.dripBytes == 0 ? response.body.length : Math.min(response.body.length, offset + response.dripBytes);
            if (end > offset) {
                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(response.body, offset, end - offset)));
            }
            if (end < response.body.length) {
                ctx.executor().schedule(() -> drip(ctx, response, end, keepAlive),
                    response.dripInterval.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            ChannelFuture last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            if (response.closeNotifyHold == null) {
                last.addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
            } else {
                last.addListener(written -> endWithCloseNotify(ctx, response.closeNotifyHold));
            }
        }

        /** Sends TLS close_notify, then leaves the TCP connection open for {@code hold} unless the client closes it. */
        private void endWithCloseNotify(ChannelHandlerContext ctx, Duration hold) {
            ctx.pipeline().get(SslHandler.class).closeOutbound();
            ctx.executor().schedule(() -> ctx.close(), hold.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** How the end of a response body is shown to the client. */
    public enum Framing {
        /** A {@code Content-Length} header: the body's size unless {@link Response#declaredLength(long)} lies. */
        CONTENT_LENGTH,
        /** {@code Transfer-Encoding: chunked}, one chunk per write (per drip piece). */
        CHUNKED,
        /** No length at all: the body ends when the server closes the connection. */
        UNTIL_CLOSE
    }

    /**
     * A scripted HTTP response. Immutable: each method returns a changed copy (never altered once
     * returned), so
     * {@code Response.status(200).contentType("text/plain").body("...")} reads as a builder.
     */
    public static final class Response {
        private int status;
        private String contentType;
        private byte[] body = new byte[0];
        private List<String[]> headers = List.of();
        private Duration delay = Duration.ZERO;
        private int dripBytes;
        private Duration dripInterval = Duration.ZERO;
        private Framing framing = Framing.CONTENT_LENGTH;
        private long declaredLength = -1;
        private HttpVersion version = HttpVersion.HTTP_1_1;
        private Duration closeNotifyHold;

        private Response(int status) {
            this.status = status;
        }

        private Response(Response from) {
            this.status = from.status;
            this.contentType = from.contentType;
            this.body = from.body;
            this.headers = from.headers;
            this.delay = from.delay;
            this.dripBytes = from.dripBytes;
            this.dripInterval = from.dripInterval;
            this.framing = from.framing;
            this.declaredLength = from.declaredLength;
            this.version = from.version;
            this.closeNotifyHold = from.closeNotifyHold;
        }

        /** A response with this status, no content type, an empty body, sent at once with a Content-Length. */
        public static Response status(int status) {
            return new Response(status);
        }

        /** The {@code Content-Type} header, or {@code null} for none. */
        public Response contentType(String type) {
            return with(next -> next.contentType = type);
        }

        /** The body as UTF-8. */
        public Response body(String text) {
            return body(text.getBytes(StandardCharsets.UTF_8));
        }

        public Response body(byte[] bytes) {
            byte[] copy = bytes.clone();
            return with(next -> next.body = copy);
        }

        /** Adds a header line (e.g. {@code Location}, {@code Cache-Control}); a name may repeat. */
        public Response header(String name, String value) {
            List<String[]> more = new ArrayList<>(headers);
            more.add(new String[] {name, value});
            return with(next -> next.headers = List.copyOf(more));
        }

        /** Waits this long after the request before sending anything. */
        public Response delay(Duration wait) {
            return with(next -> next.delay = wait);
        }

        /** Sends the body {@code bytes} at a time, one piece every {@code interval}, e.g. to trip a total time-out. */
        public Response drip(int bytes, Duration interval) {
            if (bytes < 1) {
                throw new IllegalArgumentException("drip at least one byte at a time");
            }
            return with(next -> {
                next.dripBytes = bytes;
                next.dripInterval = interval;
            });
        }

        /** How the body's end is shown (Content-Length unless set). */
        public Response framing(Framing how) {
            return with(next -> next.framing = how);
        }

        /**
         * Declares this {@code Content-Length} whatever the body's real size, e.g. less than the body
         * to send a body larger than declared. The connection is closed after such a response.
         */
        public Response declaredLength(long length) {
            return with(next -> {
                next.framing = Framing.CONTENT_LENGTH;
                next.declaredLength = length;
            });
        }

        /** Answers with the status line {@code HTTP/1.0} (RFC 1945) instead of {@code HTTP/1.1}. */
        public Response http10() {
            return with(next -> next.version = HttpVersion.HTTP_1_0);
        }

        /**
         * Ends the response with a TLS close_notify alone and keeps the TCP connection open for
         * {@code hold} (or until the client closes it): a host that waits for the client's close_notify.
         */
        public Response endWithCloseNotify(Duration hold) {
            return with(next -> next.closeNotifyHold = hold);
        }

        private Response with(Consumer<Response> change) {
            Response next = new Response(this);
            change.accept(next);
            return next;
        }

        private long declaredLength() {
            return declaredLength < 0 ? body.length : declaredLength;
        }

        /** Whether the connection may serve another request: TLS stays open and the client can tell where the body ends. */
        private boolean keepsConnection() {
            return closeNotifyHold == null
                && (framing == Framing.CHUNKED || framing == Framing.CONTENT_LENGTH && declaredLength() == body.length);
        }
    }

    /** One request as the server received it. */
    public static final class Request {
        private final String method;
        private final String target;
        private final String host;
        private final String contentType;
        private final Map<String, List<String>> headers;
        private final byte[] body;
        private final String serverName;
        private final String tlsProtocol;

        private Request(String method, String target, String host, String contentType, Map<String, List<String>> headers,
                        byte[] body, String serverName, String tlsProtocol) {
            this.method = method;
            this.target = target;
            this.host = host;
            this.contentType = contentType;
            this.headers = headers;
            this.body = body;
            this.serverName = serverName;
            this.tlsProtocol = tlsProtocol;
        }

        private static Request of(FullHttpRequest request, String serverName, String tlsProtocol) {
            Map<String, List<String>> headers = new HashMap<>();
            for (String name : request.headers().names()) {
                headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(request.headers().getAll(name)));
            }
            byte[] body = new byte[request.content().readableBytes()];
            request.content().getBytes(request.content().readerIndex(), body);
            return new Request(request.method().name(), request.uri(), request.headers().get(HttpHeaderNames.HOST),
                request.headers().get(HttpHeaderNames.CONTENT_TYPE), Map.copyOf(headers), body, serverName, tlsProtocol);
        }

        /** GET, POST, ... */
        public String method() {
            return method;
        }

        /** The path without the query. */
        public String path() {
            return new QueryStringDecoder(target).path();
        }

        /** The request-target as sent (path and query). */
        public String target() {
            return target;
        }

        /** The Host header, or {@code null}. */
        public String host() {
            return host;
        }

        /** The Content-Type header, or {@code null}. */
        public String contentType() {
            return contentType;
        }

        /** The first value of a header (name case-insensitive), or {@code null}. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }

        /** The body bytes exactly as received (not decompressed). */
        public byte[] body() {
            return body.clone();
        }

        /** The SNI host name the client sent in its TLS handshake, or {@code null}. */
        public String serverName() {
            return serverName;
        }

        /** The TLS protocol of the connection, e.g. {@code TLSv1.3}. */
        public String tlsProtocol() {
            return tlsProtocol;
        }

        @Override
        public String toString() {
            return method + " " + target + " Host: " + host + " SNI: " + serverName + " (" + body.length + " bytes"
                + (contentType == null ? "" : ", " + contentType) + ")";
        }
    }
}

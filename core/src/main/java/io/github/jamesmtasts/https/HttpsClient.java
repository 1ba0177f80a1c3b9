package io.github.jamesmtasts.https;

import io.github.jamesmtasts.tls.CertificateVerifier;
import io.github.jamesmtasts.dns.DnsAnswer;
import io.github.jamesmtasts.dns.DnsClient;
import io.github.jamesmtasts.tls.HostIdentity;
import io.github.jamesmtasts.tls.TrustAnchors;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * HTTPS GET and POST over Netty, for policy fetches (RFC 8461 §3.3) and report uploads (RFC 8460 §5.4).
 *
 * <ul>
 *   <li>TLS 1.2 or 1.3 with SNI; the certificate must chain to one of the {@link TrustAnchors} and name the
 *       host by a DNS-ID as RFC 6125 says ({@link HostIdentity}): checked by {@link CertificateVerifier}, as
 *       for MX hosts. A rejected certificate fails with its RFC 8460 result type
 *       ({@link HttpsFailure#certificateFailure()}).</li>
 *   <li>The host name is resolved with {@link DnsClient#addresses}; addresses that
 *       {@link RefusedAddresses} names are refused unless {@link HttpsSettings#allowPrivateAddresses()}.
 *       The addresses are tried in order until one accepts the connection.</li>
 *   <li>No redirect is followed (a 3xx is a response like any other) and nothing is cached.</li>
 *   <li>{@link Limits} bound the body and the whole exchange.</li>
 * </ul>
 *
 * Futures complete with an {@link HttpsResponse} of any status, or fail with an {@link HttpsException}.
 * Thread-safe; one instance serves the whole server. {@link #close()} stops its I/O thread.
 */
public final class HttpsClient implements AutoCloseable {
    private static final String[] TLS_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static final int HTTPS_PORT = 443;
    private static final String USER_AGENT = "james-mta-sts";

    private final DnsClient dns;
    private final HttpsSettings settings;
    private final SSLContext tls;
    private final EventLoopGroup group;

    private HttpsClient(DnsClient dns, HttpsSettings settings, SSLContext tls) {
        this.dns = dns;
        this.settings = settings;
        this.tls = tls;
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("mta-sts-https", true));
    }

    /**
     * A client resolving host names with {@code dns} and trusting {@code anchors}.
     *
     * @throws IOException if TLS cannot be set up
     */
    public static HttpsClient create(DnsClient dns, HttpsSettings settings, TrustAnchors anchors) throws IOException {
        Objects.requireNonNull(dns, "dns");
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {new CertificateVerifier(anchors.pkixTrustManager())}, null);
            return new HttpsClient(dns, settings, tls);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** {@code GET https://host/path} on port 443 (RFC 8461 §3.3: the policy host's port). */
    public CompletableFuture<HttpsResponse> get(String host, String path, Limits limits) {
        return send(host, HTTPS_PORT, () -> request(HttpMethod.GET, host, HTTPS_PORT, path, null, new byte[0]), limits);
    }

    /** {@code POST} of a body to {@code https://host:port/path}. */
    public CompletableFuture<HttpsResponse> post(String host, int port, String path, String contentType, byte[] body,
                                                 Limits limits) {
        byte[] content = body.clone();
        return send(host, port, () -> request(HttpMethod.POST, host, port, path, contentType, content), limits);
    }

    /** {@code POST} of a body to an {@code https:} URI, within {@link Limits#DEFAULT}. */
    public CompletableFuture<HttpsResponse> post(URI uri, String contentType, byte[] body) {
        return post(uri, contentType, body, Limits.DEFAULT);
    }

    /**
     * {@code POST} of a body to an {@code https:} URI (RFC 8460 §5.4 reporting URI).
     *
     * @throws IllegalArgumentException if the URI is not an absolute {@code https:} URI with a host
     */
    public CompletableFuture<HttpsResponse> post(URI uri, String contentType, byte[] body, Limits limits) {
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("not an https URI with a host: " + uri);
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return post(host, uri.getPort() < 0 ? HTTPS_PORT : uri.getPort(), path, contentType, body, limits);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private CompletableFuture<HttpsResponse> send(String host, int port, Supplier<FullHttpRequest> request, Limits limits) {
        Exchange exchange = new Exchange(limits, group.next());
        addresses(host).whenComplete((addresses, failure) -> {
            if (failure != null) {
                exchange.fail(HttpsException.failureOf(failure));
            } else {
                connect(exchange, host, port, request, addresses, 0);
            }
        });
        return exchange.result();
    }

    /** The addresses to try, or the failure: a literal stands for itself; a name is asked of DNS. */
    private CompletableFuture<List<InetAddress>> addresses(String host) {
        if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
            return allowed(host, List.of(NetUtil.createInetAddressFromIpAddressString(host)));
        }
        return dns.addresses(host).thenCompose(answer -> answer.found()
            ? allowed(host, answer.records())
            : failed(HttpsFailure.of(HttpsFailure.Kind.DNS, "no address for " + host + ": " + describe(answer))));
    }

    private CompletableFuture<List<InetAddress>> allowed(String host, List<InetAddress> candidates) {
        List<InetAddress> usable = settings.allowPrivateAddresses() ? candidates
            : candidates.stream().filter(address -> !RefusedAddresses.isRefused(address)).collect(Collectors.toList());
        if (usable.isEmpty()) {
            return failed(HttpsFailure.of(HttpsFailure.Kind.REFUSED_ADDRESS,
                host + " resolves only to refused (loopback, private or link-local) addresses " + candidates));
        }
        return CompletableFuture.completedFuture(usable);
    }

    private void connect(Exchange exchange, String host, int port, Supplier<FullHttpRequest> request,
                         List<InetAddress> addresses, int index) {
        if (exchange.isDone()) {
            return;
        }
        InetSocketAddress remote = new InetSocketAddress(addresses.get(index), port);
        SslHandler tlsHandler = new SslHandler(engine(host, port));
        Bootstrap bootstrap = new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
            .handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel channel) {
                    channel.pipeline().addLast(tlsHandler, new HttpClientCodec(), new ResponseReader(exchange));
                }
            });
        bootstrap.connect(remote).addListener((ChannelFuture connected) -> {
            if (!connected.isSuccess()) {
                if (index + 1 < addresses.size()) {
                    connect(exchange, host, port, request, addresses, index + 1);
                } else {
                    exchange.fail(HttpsFailure.of(HttpsFailure.Kind.CONNECT,
                        "cannot connect to " + host + " at " + remote + ": " + HttpsFailure.describe(connected.cause())));
                }
                return;
            }
            Channel channel = connected.channel();
            exchange.attach(channel);
            tlsHandler.handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess()) {
                    channel.writeAndFlush(request.get());
                } else {
                    exchange.fail(HttpsFailure.classify(handshake.cause()));
                }
            });
        });
    }

    /** RFC 8461 §3.3: TLS 1.2 or later, SNI, and the policy host as a DNS-ID, RFC 6125's wildcard rule. */
    private SSLEngine engine(String host, int port) {
        SSLEngine engine = tls.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(TLS_PROTOCOLS);
        parameters.setEndpointIdentificationAlgorithm(HostIdentity.ENDPOINT_IDENTIFICATION);
        if (!NetUtil.isValidIpV4Address(host) && !NetUtil.isValidIpV6Address(host)) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    private static FullHttpRequest request(HttpMethod method, String host, int port, String path, String contentType,
                                           byte[] body) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path, Unpooled.wrappedBuffer(body));
        String authority = NetUtil.isValidIpV6Address(host) ? "[" + host + "]" : host;
        request.headers()
            .set(HttpHeaderNames.HOST, port == HTTPS_PORT ? authority : authority + ":" + port)
            .set(HttpHeaderNames.USER_AGENT, USER_AGENT)
            .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (contentType != null) {
            request.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        return request;
    }

    private static String describe(DnsAnswer<?> answer) {
        return answer.status() + " " + answer.detail();
    }

    private static <T> CompletableFuture<T> failed(HttpsFailure failure) {
        return CompletableFuture.failedFuture(new HttpsException(failure));
    }
}

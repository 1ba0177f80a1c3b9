package io.github.jamesmtasts.https;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.ByteArrayOutputStream;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/**
 * Reads one HTTP response into an {@link Exchange}, keeping at most the body limit: a declared
 * {@code Content-Length} above it fails at once, and so does the first chunk that goes past it.
 * A body without length ends when the connection closes, or at the server's TLS close_notify;
 * a close_notify before the end of any other response fails it.
 */
final class ResponseReader extends SimpleChannelInboundHandler<HttpObject> {
    private final Exchange exchange;
    private final int maxBodyBytes;
    private HttpResponse head;
    private ByteArrayOutputStream body;

    ResponseReader(Exchange exchange) {
        this.exchange = exchange;
        this.maxBodyBytes = exchange.limits().maxBodyBytes();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
        if (exchange.isDone()) {
            return;
        }
        if (message.decoderResult().isFailure()) {
            exchange.fail(HttpsFailure.of(HttpsFailure.Kind.PROTOCOL, "malformed response: " + message.decoderResult().cause()));
            return;
        }
        if (message instanceof HttpResponse) {
            head = (HttpResponse) message;
            long declared = HttpUtil.getContentLength(head, -1L);
            if (declared > maxBodyBytes) {
                exchange.fail(tooLarge("Content-Length " + declared));
                return;
            }
            body = new ByteArrayOutputStream(declared < 0 ? 1024 : (int) declared);
        }
        if (message instanceof HttpContent && head != null) {
            ByteBuf content = ((HttpContent) message).content();
            int length = content.readableBytes();
            if (body.size() + length > maxBodyBytes) {
                exchange.fail(tooLarge("more than " + maxBodyBytes + " bytes received"));
                return;
            }
            byte[] chunk = new byte[length];
            content.readBytes(chunk);
            body.write(chunk, 0, length);
            if (message instanceof LastHttpContent) {
                succeed(ctx);
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslCloseCompletionEvent && ((SslCloseCompletionEvent) event).isSuccess() && !exchange.isDone()) {
            // RFC 9112 §9.8: after a closure alert no more data comes, whether or not TCP closes.
            if (head != null && isDelimitedByClose(head)) {
                succeed(ctx);
            } else {
                exchange.fail(HttpsFailure.of(HttpsFailure.Kind.PROTOCOL, "the server closed TLS before the response ended"));
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        exchange.fail(HttpsFailure.of(HttpsFailure.Kind.PROTOCOL, "the connection closed before the response ended"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        exchange.fail(HttpsFailure.classify(cause));
    }

    private void succeed(ChannelHandlerContext ctx) {
        exchange.succeed(new HttpsResponse(head.status().code(), head.headers().get(HttpHeaderNames.CONTENT_TYPE), body.toByteArray(),
            peerCertificate(ctx)));
    }

    /** The leaf the server presented, or null when the pipeline has no TLS session with one. */
    private static X509Certificate peerCertificate(ChannelHandlerContext ctx) {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls == null) {
            return null;
        }
        try {
            Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate ? (X509Certificate) chain[0] : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    /** RFC 9112 §6.3: a response neither chunked nor with a {@code Content-Length} ends with the connection. */
    private static boolean isDelimitedByClose(HttpResponse response) {
        return !HttpUtil.isTransferEncodingChunked(response) && !HttpUtil.isContentLengthSet(response);
    }

    private HttpsFailure tooLarge(String what) {
        return HttpsFailure.of(HttpsFailure.Kind.TOO_LARGE, "response body over the limit of " + maxBodyBytes + " bytes: " + what);
    }
}

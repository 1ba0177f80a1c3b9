package io.github.jamesmtasts.smtp;

import java.util.ArrayList;
import java.util.List;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.smtp.SmtpResponse;

/**
 * Turns the {@link SmtpResponse}s of Netty's {@code SmtpResponseDecoder} (which joins the lines of a
 * multi-line reply, RFC 5321 §4.2.1) into {@link SmtpReply} values with their enhanced status code.
 */
final class ReplyDecoder extends MessageToMessageDecoder<SmtpResponse> {
    @Override
    protected void decode(ChannelHandlerContext ctx, SmtpResponse response, List<Object> out) {
        List<String> lines = new ArrayList<>(response.details().size());
        for (CharSequence detail : response.details()) {
            lines.add(detail.toString());
        }
        out.add(SmtpReply.parse(response.code(), lines));
    }
}

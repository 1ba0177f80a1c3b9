package io.github.jamesmtasts.smtp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.LineBasedFrameDecoder;

/**
 * Reads SMTP replies (RFC 5321 §4.2) off the lines the server sends and hands each whole reply on as an
 * {@link SmtpReply}: "{@code ddd-text}" lines continue a reply, the line "{@code ddd text}" or the bare code
 * "{@code ddd}" ends it (§4.2.1: {@code Reply-code [ SP textstring ] CRLF}). Lines end at LF, a CR before it
 * dropped, as Netty's line framing does; a line longer than the limit, one that is no reply line, or one whose code
 * is not that of the reply it continues is a
 * {@link DecoderException}, which ends the session. {@link ReplyGuard}, in front of it, has already refused a
 * line whose code is no reply code.
 */
final class ReplyDecoder extends LineBasedFrameDecoder {
    private static final int CODE_LENGTH = 3;

    private List<String> lines = new ArrayList<>();
    private int code;

    ReplyDecoder(int maxLineLength) {
        super(maxLineLength);
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf buffer) throws Exception {
        ByteBuf line = (ByteBuf) super.decode(ctx, buffer);
        if (line == null) {
            return null;
        }
        try {
            return read(line);
        } finally {
            line.release();
        }
    }

    private SmtpReply read(ByteBuf line) {
        int length = line.readableBytes();
        int start = line.readerIndex();
        if (length < CODE_LENGTH) {
            throw new DecoderException("not an SMTP reply line: " + length + " octets");
        }
        int lineCode = 0;
        for (int i = 0; i < CODE_LENGTH; i++) {
            byte digit = line.getByte(start + i);
            if (digit < '0' || digit > '9') {
                throw new DecoderException("not an SMTP reply line: no reply code");
            }
            lineCode = lineCode * 10 + digit - '0';
        }
        byte separator = length > CODE_LENGTH ? line.getByte(start + CODE_LENGTH) : (byte) ' ';
        if (separator != ' ' && separator != '-') {
            throw new DecoderException("not an SMTP reply line: '" + (char) separator + "' after the reply code");
        }
        if (lines.isEmpty()) {
            code = lineCode;
        } else if (lineCode != code) {
            // RFC 5321 §4.2.1: every line of a multi-line reply carries the same code. ReplyGuard judges where a
            // reply ends (the 220 to STARTTLS) by the last line's code: a reply of mixed codes is refused, not read.
            throw new DecoderException("not an SMTP reply: a line with code " + lineCode + " in a reply with code " + code);
        }
        lines.add(length > CODE_LENGTH + 1 ? line.toString(start + CODE_LENGTH + 1, length - CODE_LENGTH - 1, StandardCharsets.US_ASCII) : "");
        if (separator == '-') {
            return null;
        }
        SmtpReply reply = SmtpReply.parse(code, lines);
        lines = new ArrayList<>();
        return reply;
    }
}

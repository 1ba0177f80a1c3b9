package io.github.jamesmtasts.smtp;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.IntConsumer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;

/**
 * The first handler behind the socket (or behind TLS): it watches the reply octets before Netty's
 * reply decoder sees them, at the line level only.
 *
 * <ul>
 *   <li>RFC 3207 §6: once the server has sent the last line of a {@code 220} reply to {@code STARTTLS},
 *       nothing more it sends in plaintext is SMTP. Octets that follow it (in the same segment or before
 *       the TLS handshake is started) are discarded, as Postfix does, and counted, so that an injected
 *       "{@code 250-SIZE 1}" or a half line can never be read as part of the reply to the {@code EHLO}
 *       that follows over TLS.</li>
 *   <li>A reply has at most {@link #MAX_REPLY_OCTETS} octets over all its lines: a server that sends
 *       continuation lines ({@code 220-...}) for ever would otherwise fill the heap before any timeout.</li>
 *   <li>A line that does not begin with a reply code (RFC 5321 §4.2: three digits, the first 2 to 5) is no
 *       SMTP reply: a {@link DecoderException}, as for any other unreadable reply.</li>
 *   <li>It numbers the reads from the socket and notes in which read each reply began, so that
 *       {@link ReplyDispatcher} can tell a reply to a command from one the server sent before the command
 *       went out (a reply "answering" a command it has not seen is a lie, never matched to it).</li>
 * </ul>
 *
 * Lives on the channel's event loop.
 */
final class ReplyGuard extends ChannelInboundHandlerAdapter {
    /** 64 KiB: an EHLO reply of a busy server is under 1 KiB; RFC 5321 §4.5.3.1.5 has 512-octet lines. */
    static final int MAX_REPLY_OCTETS = 64 * 1024;

    private enum State {
        /** Octets pass. */
        PASS,
        /** STARTTLS was sent: octets pass until its reply is complete. */
        AWAIT_STARTTLS_REPLY,
        /** The reply to STARTTLS was 220: every plaintext octet from here on is dropped, until TLS starts. */
        DROP
    }

    private final IntConsumer discarded;
    private State state = State.PASS;
    // Where the current line stands: its first four octets decide whether it is the last line of a reply.
    private int lineOctets;
    private final byte[] lineStart = new byte[4];
    private int replyOctets;
    private long reads;
    private final Deque<Long> replyStarts = new ArrayDeque<>();

    /** @param discarded told how many octets were dropped after a 220 to STARTTLS */
    ReplyGuard(IntConsumer discarded) {
        this.discarded = discarded;
    }

    /** {@code STARTTLS} is about to be sent: the reply to it decides whether what follows is dropped. */
    void startTlsSent() {
        state = State.AWAIT_STARTTLS_REPLY;
    }

    /** TLS is now in front of this handler: what arrives is decrypted and passes again. */
    void tlsStarted() {
        state = State.PASS;
    }

    /** The number of reads so far: a command sent now can only be answered by octets of a later read. */
    long reads() {
        return reads;
    }

    /** The read in which the next reply to be dispatched began (replies are dispatched in the order they came). */
    long nextReplyStart() {
        Long start = replyStarts.poll();
        return start == null ? reads : start;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (!(message instanceof ByteBuf)) {
            ctx.fireChannelRead(message);
            return;
        }
        ByteBuf octets = (ByteBuf) message;
        reads++;
        if (state == State.DROP) {
            drop(octets);
            return;
        }
        int end = octets.writerIndex();
        for (int i = octets.readerIndex(); i < end; i++) {
            if (scan(octets.getByte(i))) {
                // The reply to STARTTLS ended at i, and it was 220: pass it, drop everything after it.
                ByteBuf rest = octets.retainedSlice(i + 1, end - i - 1);
                octets.writerIndex(i + 1);
                ctx.fireChannelRead(octets);
                drop(rest);
                return;
            }
            if (lineOctets == 3 && !isReplyCode(lineStart)) {
                // Pass the lines before this one, then fail: Netty's decoder would read "2/0" as 190 and
                // reject a code outside 100..599 with an IllegalArgumentException.
                int lineBegins = Math.max(octets.readerIndex(), i - 2);
                if (lineBegins > octets.readerIndex()) {
                    ctx.fireChannelRead(octets.retainedSlice(octets.readerIndex(), lineBegins - octets.readerIndex()));
                }
                ReferenceCountUtil.release(octets);
                ctx.fireExceptionCaught(new DecoderException("not an SMTP reply: a line that does not begin with a reply code"));
                return;
            }
            if (replyOctets > MAX_REPLY_OCTETS) {
                ReferenceCountUtil.release(octets);
                ctx.fireExceptionCaught(new TooLongFrameException("a reply of more than " + MAX_REPLY_OCTETS + " octets"));
                return;
            }
        }
        ctx.fireChannelRead(octets);
    }

    /** Follows one octet; true when it ends a 220 reply to STARTTLS. */
    private boolean scan(byte octet) {
        if (replyOctets++ == 0) {
            replyStarts.add(reads);
        }
        if (octet != '\n') {
            if (lineOctets < lineStart.length) {
                lineStart[lineOctets] = octet;
            }
            lineOctets++;
            return false;
        }
        // RFC 5321 §4.2.1: "ddd-" continues the reply, any other line ends it.
        boolean last = lineOctets < 4 || lineStart[3] != '-';
        boolean ready = lineOctets >= 3 && lineStart[0] == '2' && lineStart[1] == '2' && lineStart[2] == '0';
        lineOctets = 0;
        if (!last) {
            return false;
        }
        replyOctets = 0;
        if (state != State.AWAIT_STARTTLS_REPLY) {
            return false;
        }
        state = ready ? State.DROP : State.PASS;
        return ready;
    }

    /**
     * RFC 5321 §4.2: {@code Reply-code = %x32-35 %x30-35 %x30-39}. The second digit is not held to 0-5: some
     * servers send codes such as 571, which the first digit classifies well enough.
     */
    private static boolean isReplyCode(byte[] line) {
        return line[0] >= '2' && line[0] <= '5' && isDigit(line[1]) && isDigit(line[2]);
    }

    private static boolean isDigit(byte octet) {
        return octet >= '0' && octet <= '9';
    }

    private void drop(ByteBuf octets) {
        int size = octets.readableBytes();
        ReferenceCountUtil.release(octets);
        if (size > 0) {
            discarded.accept(size);
        }
    }
}

package io.github.jamesmtasts.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;

/**
 * Fuzzes the way replies are read: the octets from the MX through {@link ReplyGuard} and
 * {@link ReplyDecoder}, as {@link SmtpConnection} puts them in its
 * pipeline. The pipeline either hands on {@link SmtpReply}s or fails with a {@link DecoderException} of
 * its own (which ends the session as a network failure), never with any other exception or a wrapped
 * one; each reply has a code of the RFC 5321 §4.2 grammar (its first digit 2 to 5) and lines without LF; and once
 * {@code STARTTLS} was sent, nothing after a 220 reply to it is read (RFC 3207 §6).
 *
 * <p>The first input octet says how the rest arrives: bit 0 set means {@code STARTTLS} was sent before,
 * bits 1 to 7 plus one are the size of each read. Seeds and regression inputs:
 * {@code src/test/resources/.../ReplyDecoderFuzzTestInputs/decode/}.
 */
class ReplyDecoderFuzzTest {
    // RFC 5321 §4.2: Reply-code = %x32-35 %x30-35 %x30-39, but for the second digit (see ReplyGuard).
    private static final Pattern REPLY_CODE = Pattern.compile("[2-5][0-9][0-9]");

    @FuzzTest(maxDuration = "10s")
    void decode(byte[] input) {
        if (input.length == 0) {
            return;
        }
        boolean startTls = (input[0] & 1) != 0;
        int readSize = ((input[0] & 0xff) >>> 1) + 1;
        int[] discarded = {0};
        ReplyGuard guard = new ReplyGuard(octets -> discarded[0] += octets);
        EmbeddedChannel channel = new EmbeddedChannel(guard, new ReplyDecoder(SmtpConnection.MAX_REPLY_LINE));
        if (startTls) {
            guard.startTlsSent();
        }

        boolean failed = false;
        for (int from = 1; from < input.length && !failed; from += readSize) {
            byte[] read = Arrays.copyOfRange(input, from, Math.min(input.length, from + readSize));
            failed = !readSurvives(() -> channel.writeInbound(Unpooled.wrappedBuffer(read)));
        }
        if (!failed) {
            readSurvives(channel::finish);
        }

        List<SmtpReply> replies = new ArrayList<>();
        for (Object message; (message = channel.readInbound()) != null; ) {
            assertThat(message).isInstanceOf(SmtpReply.class);
            replies.add((SmtpReply) message);
        }
        // Closing the channel decodes what is left: it may fail the same way.
        readSurvives(channel::finishAndReleaseAll);
        for (SmtpReply reply : replies) {
            assertThat(String.format("%03d", reply.code())).as("reply %s", reply).matches(REPLY_CODE);
            for (String line : reply.lines()) {
                // A bare CR is text of the line (RFC 5321 §2.3.8 forbids the server to send one, it ends nothing).
                assertThat(line).doesNotContain("\n");
                assertThat(line.length()).isLessThanOrEqualTo(SmtpConnection.MAX_REPLY_LINE);
            }
        }
        if (startTls && !replies.isEmpty() && replies.get(0).code() == 220) {
            assertThat(replies).as("replies after the 220 to STARTTLS").hasSize(1);
        }
    }

    /** Runs one read; false when the pipeline failed, which it may only do with a decoder error of its own. */
    private static boolean readSurvives(Runnable read) {
        try {
            read.run();
            return true;
        } catch (RuntimeException e) {
            assertThat(e).isInstanceOf(DecoderException.class);
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                // ByteToMessageDecoder and MessageToMessageDecoder wrap what a decoder throws by mistake.
                assertThat(cause).as("the cause of %s", e).isInstanceOf(DecoderException.class);
            }
            return false;
        }
    }
}

package io.github.jamesmtasts.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reply pipeline of {@link SmtpConnection} in front of the dispatcher, without a socket. */
class ReplyGuardTest {
    private static EmbeddedChannel replies() {
        return new EmbeddedChannel(new ReplyGuard(octets -> { }), new ReplyDecoder(SmtpConnection.MAX_REPLY_LINE));
    }

    private static void read(EmbeddedChannel channel, String octets) {
        channel.writeInbound(Unpooled.copiedBuffer(octets, StandardCharsets.ISO_8859_1));
    }

    // Found by ReplyDecoderFuzzTest: Netty's decoder read "\u000750" as -50 and failed with an IllegalArgumentException;
    // it reads "3/0" as 290 and "1xx" codes pass it.
    @ParameterizedTest
    @ValueSource(strings = {"\u000750 ok\r\n", "3/0 ok\r\n", "199 ok\r\n", "600 ok\r\n", "099 ok\r\n", "25\r\r\n"})
    void aLineWithoutAReplyCodeIsADecoderErrorOfItsOwn(String line) {
        EmbeddedChannel channel = replies();

        assertThatThrownBy(() -> read(channel, line))
            .isInstanceOf(DecoderException.class).hasNoCause();
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void theRepliesBeforeABadLineStillCount() {
        EmbeddedChannel channel = replies();

        assertThatThrownBy(() -> read(channel, "250 ok\r\n250-first\r\n2x0 second\r\n"))
            .isInstanceOf(DecoderException.class).hasNoCause();
        assertThat((Object) channel.readInbound()).isEqualTo(SmtpReply.parse(250, java.util.List.of("ok")));
        assertThat((Object) channel.readInbound()).isNull();
    }

    // Found by ReplyDecoderFuzzTest, not fixed yet: RFC 5321 §4.2 allows a reply without text ("250" CRLF), but
    // RFC 5321 §4.2: Reply-code [ SP textstring ] CRLF. Netty 4.1.86's SmtpResponseDecoder read a separator past
    // the end of such a line (found by fuzzing), so ReplyDecoder reads the lines itself.
    @Test
    void aReplyWithoutTextIsRead() {
        EmbeddedChannel channel = replies();

        read(channel, "250\r\n");

        assertThat((Object) channel.readInbound()).isEqualTo(SmtpReply.parse(250, java.util.List.of("")));
    }

    // RFC 5321 §4.2.1: a multi-line reply has one code; read as one, "220-x" then "250" would end the 220 to
    // STARTTLS where ReplyGuard sees no 220 end (found by fuzzing).
    @Test
    void aReplyOfMixedCodesIsRefused() {
        EmbeddedChannel channel = replies();

        assertThatThrownBy(() -> read(channel, "220-x\r\n250 y\r\n")).isInstanceOf(DecoderException.class)
            .hasMessageContaining("code 250 in a reply with code 220");
    }

    @Test
    void everyFirstDigitOfRfc5321IsRead() {
        EmbeddedChannel channel = replies();

        read(channel, "220 a\r\n354 b\r\n452 c\r\n571 d\r\n");

        assertThat(channel.inboundMessages()).extracting(reply -> ((SmtpReply) reply).code()).containsExactly(220, 354, 452, 571);
    }
}

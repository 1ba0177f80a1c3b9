package io.github.jamesmtasts.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SmtpReplyTest {
    @Test
    void enhancedCodeIsReadFromTheStartOfTheFirstLine() {
        SmtpReply reply = SmtpReply.parse(550, List.of("5.1.1 <nobody@example.com>: User unknown", "second line"));

        assertThat(reply.enhancedCode()).contains("5.1.1");
        assertThat(reply.isPermanentFailure()).isTrue();
        assertThat(reply.lines()).hasSize(2);
    }

    @Test
    void replyWithoutEnhancedCodeHasNone() {
        assertThat(SmtpReply.parse(250, List.of("mx.example.com Hello")).enhancedCode()).isEmpty();
        assertThat(SmtpReply.parse(250, List.of()).enhancedCode()).isEmpty();
    }

    @Test
    void enhancedCodeOfAnotherClassThanTheReplyIsIgnored() {
        // RFC 2034 §4: the class of the enhanced code matches the first digit of the reply code.
        assertThat(SmtpReply.parse(250, List.of("5.0.0 nonsense")).enhancedCode()).isEmpty();
    }

    @Test
    void enhancedCodeMustBeAWholeWord() {
        assertThat(SmtpReply.parse(451, List.of("4.7.1a not a code")).enhancedCode()).isEmpty();
        assertThat(SmtpReply.parse(451, List.of("4.7.1")).enhancedCode()).contains("4.7.1");
        assertThat(SmtpReply.parse(451, List.of("4.7.1000 too long")).enhancedCode()).isEmpty();
    }

    @Test
    void replyClassesFollowTheFirstDigit() {
        assertThat(SmtpReply.parse(250, List.of("ok")).isPositiveCompletion()).isTrue();
        assertThat(SmtpReply.parse(354, List.of("go on")).isPositiveIntermediate()).isTrue();
        assertThat(SmtpReply.parse(421, List.of("bye")).isServiceClosing()).isTrue();
        assertThat(SmtpReply.parse(452, List.of("full")).isTransientFailure()).isTrue();
    }

    @Test
    void localReplyCarriesItsEnhancedCodeInTheText() {
        SmtpReply reply = SmtpReply.local(550, "5.7.30", "REQUIRETLS support required");

        assertThat(reply.enhancedCode()).contains("5.7.30");
        assertThat(reply).hasToString("550 5.7.30 REQUIRETLS support required");
    }
}

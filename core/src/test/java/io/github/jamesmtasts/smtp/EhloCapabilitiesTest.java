package io.github.jamesmtasts.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class EhloCapabilitiesTest {
    private static EhloCapabilities parse(String... lines) {
        return EhloCapabilities.parse(SmtpReply.parse(250, List.of(lines)));
    }

    @Test
    void keywordsAfterTheGreetingLineAreRead() {
        EhloCapabilities capabilities = parse("mx.example.com", "PIPELINING", "SIZE 10240000", "starttls", "8BITMIME",
            "SMTPUTF8", "REQUIRETLS", "ENHANCEDSTATUSCODES");

        assertThat(capabilities.pipelining()).isTrue();
        assertThat(capabilities.startTls()).isTrue();
        assertThat(capabilities.eightBitMime()).isTrue();
        assertThat(capabilities.smtpUtf8()).isTrue();
        assertThat(capabilities.requireTls()).isTrue();
        assertThat(capabilities.size()).isTrue();
        assertThat(capabilities.sizeLimit()).hasValue(10240000);
        assertThat(capabilities.has("enhancedstatuscodes")).isTrue();
    }

    @Test
    void theGreetingLineIsNoKeyword() {
        EhloCapabilities capabilities = parse("STARTTLS greets you");

        assertThat(capabilities.startTls()).isFalse();
    }

    @Test
    void sizeWithoutPositiveLimitAllowsTheParameterButSetsNoLimit() {
        assertThat(parse("mx", "SIZE").size()).isTrue();
        assertThat(parse("mx", "SIZE").sizeLimit()).isEmpty();
        assertThat(parse("mx", "SIZE 0").sizeLimit()).isEmpty();
        assertThat(parse("mx", "SIZE lots").sizeLimit()).isEmpty();
    }

    @Test
    void heloOffersNothing() {
        EhloCapabilities none = EhloCapabilities.none();

        assertThat(none.startTls()).isFalse();
        assertThat(none.pipelining()).isFalse();
        assertThat(none.size()).isFalse();
    }
}

package io.github.jamesmtasts.https;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 9110 §8.3.1: the media type of a Content-Type, without its parameters. */
class HttpsResponseTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "text/plain|text/plain",
        "Text/Plain; charset=utf-8|text/plain",
        "text/plain ; charset=UTF-8|text/plain",
        "text/plain+|text/plain+",
        "application/tlsrpt+json|application/tlsrpt+json",
        "text/ plain|",
        "text|",
        "not a media type|",
        "a/b/c|",
    })
    void readsTheMediaType(String contentType, String mediaType) {
        assertThat(new HttpsResponse(200, contentType, new byte[0]).mediaType().orElse(null)).isEqualTo(mediaType);
    }
}

package io.github.jamesmtasts.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WireLinesOutputStreamTest {
    private static String stuff(String... pieces) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        WireLinesOutputStream stuffing = WireLinesOutputStream.forData(sink);
        for (String piece : pieces) {
            stuffing.write(piece.getBytes(StandardCharsets.UTF_8));
        }
        stuffing.finish();
        return sink.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "leading dot doubled       | .hidden\\r\\nx\\r\\n          | ..hidden\\r\\nx\\r\\n",
        "lone dot line doubled     | a\\r\\n.\\r\\nb\\r\\n          | a\\r\\n..\\r\\nb\\r\\n",
        "dot inside a line kept    | a.b\\r\\n                    | a.b\\r\\n",
        "bare LF becomes CRLF      | a\\nb\\n                     | a\\r\\nb\\r\\n",
        "bare CR becomes CRLF      | a\\rb\\r\\n                  | a\\r\\nb\\r\\n",
        "dot after bare LF doubled | a\\n.b\\n                    | a\\r\\n..b\\r\\n",
        "dot after bare CR doubled | a\\r.b\\r\\n                 | a\\r\\n..b\\r\\n",
        "missing last CRLF added   | a\\r\\nb                     | a\\r\\nb\\r\\n",
        "trailing CR completed     | a\\r                        | a\\r\\n",
    })
    void linesAreNormalisedAndDotStuffed(String name, String input, String expected) throws IOException {
        assertThat(stuff(unescape(input))).isEqualTo(unescape(expected));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "leading dot kept          | .hidden\\r\\nx\\r\\n          | .hidden\\r\\nx\\r\\n",
        "lone dot line kept        | a\\r\\n.\\r\\nb\\r\\n          | a\\r\\n.\\r\\nb\\r\\n",
        "bare LF becomes CRLF      | a\\n.b\\n                    | a\\r\\n.b\\r\\n",
        "bare CR becomes CRLF      | a\\r.b\\r\\n                 | a\\r\\n.b\\r\\n",
        "missing last CRLF added   | a\\r\\nb                     | a\\r\\nb\\r\\n",
    })
    void chunkLinesAreNormalisedButNotStuffed(String name, String input, String expected) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        WireLinesOutputStream lines = WireLinesOutputStream.forChunk(sink);
        lines.write(unescape(input).getBytes(StandardCharsets.UTF_8));
        lines.finish();

        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo(unescape(expected));
    }

    @Test
    void emptyMessageStaysEmpty() throws IOException {
        assertThat(stuff()).isEmpty();
    }

    @Test
    void lineEndsSplitAcrossWritesAreSeenWhole() throws IOException {
        assertThat(stuff("a\r", "\n", ".b\r", "\n.", "c")).isEqualTo("a\r\n..b\r\n..c\r\n");
    }

    @Test
    void singleByteWritesGiveTheSameResult() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        WireLinesOutputStream stuffing = WireLinesOutputStream.forData(sink);
        for (byte b : ".a\n..b\r\n".getBytes(StandardCharsets.US_ASCII)) {
            stuffing.write(b);
        }
        stuffing.finish();

        assertThat(sink.toString(StandardCharsets.US_ASCII)).isEqualTo("..a\r\n...b\r\n");
    }

    private static String unescape(String text) {
        return text.replace("\\r", "\r").replace("\\n", "\n");
    }
}

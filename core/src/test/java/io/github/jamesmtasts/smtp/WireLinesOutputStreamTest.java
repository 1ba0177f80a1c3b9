package io.github.jamesmtasts.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WireLinesOutputStreamTest {
    private static String stuff(String... pieces) throws IOException {
        return through(WireLinesOutputStream::forData, pieces);
    }

    private static String through(Function<OutputStream, WireLinesOutputStream> kind, String... pieces) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        WireLinesOutputStream lines = kind.apply(sink);
        for (String piece : pieces) {
            lines.write(piece.getBytes(StandardCharsets.UTF_8));
        }
        lines.finish();
        return sink.toString(StandardCharsets.UTF_8);
    }

    /** Each input, as it goes after DATA (CRLF, dot-stuffed) and in a BDAT chunk (CRLF only). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "leading dot            | .hidden\\r\\nx\\r\\n   | ..hidden\\r\\nx\\r\\n   | .hidden\\r\\nx\\r\\n",
        "lone dot line          | a\\r\\n.\\r\\nb\\r\\n   | a\\r\\n..\\r\\nb\\r\\n   | a\\r\\n.\\r\\nb\\r\\n",
        "dot inside a line      | a.b\\r\\n             | a.b\\r\\n               | a.b\\r\\n",
        "bare LF                | a\\nb\\n              | a\\r\\nb\\r\\n           | a\\r\\nb\\r\\n",
        "bare CR                | a\\rb\\r\\n           | a\\r\\nb\\r\\n           | a\\r\\nb\\r\\n",
        "dot after bare LF      | a\\n.b\\n             | a\\r\\n..b\\r\\n         | a\\r\\n.b\\r\\n",
        "dot after bare CR      | a\\r.b\\r\\n          | a\\r\\n..b\\r\\n         | a\\r\\n.b\\r\\n",
        "missing last CRLF      | a\\r\\nb              | a\\r\\nb\\r\\n           | a\\r\\nb\\r\\n",
        "trailing CR            | a\\r                 | a\\r\\n                 | a\\r\\n",
    })
    void linesAreNormalisedAndDotStuffedOnlyForData(String name, String input, String data, String chunk) throws IOException {
        assertThat(through(WireLinesOutputStream::forData, unescape(input))).isEqualTo(unescape(data));
        assertThat(through(WireLinesOutputStream::forChunk, unescape(input))).isEqualTo(unescape(chunk));
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

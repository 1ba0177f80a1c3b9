package io.github.jamesmtasts.smtp;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Prepares message content for the wire on the fly: every line ends in CRLF (a bare CR or LF becomes
 * CRLF, RFC 5321 §2.3.8). For {@code DATA}, a line starting with a dot gets one more (RFC 5321 §4.5.2),
 * so that no line of the message can be taken for the final dot; a {@code BDAT} chunk has a length
 * instead of an end mark and is sent without (RFC 3030 §2). {@link #finish()} ends the last line.
 * Netty's {@code SmtpRequestEncoder} (4.1.86) does neither: it copies {@code SmtpContent} as it is
 * and only appends {@code .CRLF} after the {@code LastSmtpContent}.
 */
final class WireLinesOutputStream extends FilterOutputStream {
    private final boolean dotStuffing;
    private boolean lineStart = true;
    private boolean afterCr;

    private WireLinesOutputStream(OutputStream out, boolean dotStuffing) {
        super(out);
        this.dotStuffing = dotStuffing;
    }

    /** For the content after {@code DATA}: CRLF line ends and dot-stuffing. */
    static WireLinesOutputStream forData(OutputStream out) {
        return new WireLinesOutputStream(out, true);
    }

    /** For a {@code BDAT} chunk: CRLF line ends only. */
    static WireLinesOutputStream forChunk(OutputStream out) {
        return new WireLinesOutputStream(out, false);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        int end = offset + length;
        int run = offset;
        for (int i = offset; i < end; i++) {
            byte b = bytes[i];
            if (afterCr && b != '\n') {
                out.write(bytes, run, i - run);
                out.write('\n');
                run = i;
                lineStart = true;
            }
            if (b == '\n' && !afterCr) {
                out.write(bytes, run, i - run);
                out.write('\r');
                run = i;
            }
            if (dotStuffing && lineStart && b == '.') {
                out.write(bytes, run, i - run);
                out.write('.');
                run = i;
            }
            afterCr = b == '\r';
            lineStart = b == '\n';
        }
        out.write(bytes, run, end - run);
    }

    /** Ends the last line with CRLF if it has none, so the final dot stands on a line of its own. */
    void finish() throws IOException {
        if (afterCr) {
            out.write('\n');
        } else if (!lineStart) {
            out.write('\r');
            out.write('\n');
        }
        afterCr = false;
        lineStart = true;
    }

    /** The stream is the message's; closing it must not end the message early. */
    @Override
    public void close() throws IOException {
        flush();
    }
}

package io.github.jamesmtasts.benchmarks.smtp;

import io.github.jamesmtasts.smtp.MessageContent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A message of a given size, written as repeated text lines as it is sent: nothing of it is kept in memory. */
final class SyntheticMessage implements MessageContent {
    private static final byte[] HEADER = ("From: sender@client.bench.test\r\nTo: " + PostfixMx.RECIPIENT
        + "\r\nSubject: benchmark\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LINE = "The quick brown fox jumps over the lazy dog; this line is 75 octets long.\r\n"
        .getBytes(StandardCharsets.US_ASCII);

    private final long size;

    SyntheticMessage(long size) {
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public boolean needs8BitMime() {
        return false;
    }

    @Override
    public boolean needsSmtpUtf8() {
        return false;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        out.write(HEADER);
        for (long written = HEADER.length; written < size; written += LINE.length) {
            out.write(LINE);
        }
    }
}

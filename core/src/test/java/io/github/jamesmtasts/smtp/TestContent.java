package io.github.jamesmtasts.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A message for tests, held in memory, with its 8BITMIME and SMTPUTF8 needs stated by the test. */
public final class TestContent implements MessageContent {
    private final byte[] octets;
    private final boolean eightBit;
    private final boolean smtpUtf8;

    private TestContent(byte[] octets, boolean eightBit, boolean smtpUtf8) {
        this.octets = octets;
        this.eightBit = eightBit;
        this.smtpUtf8 = smtpUtf8;
    }

    public static TestContent of(String message) {
        return new TestContent(message.getBytes(StandardCharsets.UTF_8), false, false);
    }

    public static TestContent eightBit(String message) {
        return new TestContent(message.getBytes(StandardCharsets.UTF_8), true, false);
    }

    public static TestContent smtpUtf8(String message) {
        return new TestContent(message.getBytes(StandardCharsets.UTF_8), true, true);
    }

    @Override
    public long size() {
        return octets.length;
    }

    @Override
    public boolean needs8BitMime() {
        return eightBit;
    }

    @Override
    public boolean needsSmtpUtf8() {
        return smtpUtf8;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        out.write(octets);
    }
}

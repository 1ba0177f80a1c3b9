package io.github.jamesmtasts.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A large message made line by line as it is written, never held in memory: a header, then
 * numbered body lines, every tenth starting with a dot (so dot-stuffing is exercised), up to
 * about {@code size} octets. Its body digest lets a test check what the server stored.
 */
public final class GeneratedContent implements MessageContent {
    private static final byte[] HEADER = ("From: sender@client.test\r\nTo: alice@rcpt.test\r\nSubject: generated\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);

    private final long size;

    public GeneratedContent(long size) {
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
        long written = HEADER.length;
        for (long line = 0; written < size; line++) {
            byte[] bytes = line(line);
            out.write(bytes);
            written += bytes.length;
        }
    }

    /** SHA-256 of the body lines, as {@link #writeTo} writes them. */
    public String bodyDigest() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long written = HEADER.length;
            for (long line = 0; written < size; line++) {
                byte[] bytes = line(line);
                digest.update(bytes);
                written += bytes.length;
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] line(long number) {
        String text = (number % 10 == 0 ? "." : "") + "line " + number + " of a generated message, padded to look like text\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}

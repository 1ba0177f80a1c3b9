package io.github.jamesmtasts.james;

import io.github.jamesmtasts.smtp.MessageContent;
import org.apache.mailet.Mail;

import javax.mail.MessagingException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.List;

/**
 * A James {@link Mail}'s message as the SMTP client sends it: streamed from {@code MimeMessage.writeTo}, never
 * copied. Whether it needs 8BITMIME is found by streaming it once through a scanner that keeps nothing.
 */
final class MimeMessageContent implements MessageContent {
    private final Mail mail;
    private final long size;
    private final boolean eightBit;
    private final boolean utf8;

    private MimeMessageContent(Mail mail, long size, boolean eightBit, boolean utf8) {
        this.mail = mail;
        this.size = size;
        this.eightBit = eightBit;
        this.utf8 = utf8;
    }

    /**
     * Scans the message for its size in octets (for SIZE, RFC 1870, and the choice of BDAT), for octets above 127
     * (RFC 6152) and for raw UTF-8 headers (RFC 6532).
     */
    static MimeMessageContent of(Mail mail) throws MessagingException, IOException {
        EightBitScanner scanner = new EightBitScanner();
        mail.getMessage().writeTo(scanner);
        boolean utf8Headers = false;
        for (Enumeration<String> lines = mail.getMessage().getAllHeaderLines(); lines.hasMoreElements(); ) {
            utf8Headers |= !isAscii(lines.nextElement());
        }
        return new MimeMessageContent(mail, scanner.octets, scanner.found, utf8Headers);
    }

    /** The same message for one envelope: SMTPUTF8 is also needed when an address of the envelope is not ASCII (RFC 6531). */
    MimeMessageContent forEnvelope(String sender, List<String> recipients) {
        boolean utf8Envelope = !isAscii(sender) || recipients.stream().anyMatch(recipient -> !isAscii(recipient));
        return new MimeMessageContent(mail, size, eightBit, utf8 || utf8Envelope);
    }

    private static boolean isAscii(String text) {
        return StandardCharsets.US_ASCII.newEncoder().canEncode(text);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public boolean needs8BitMime() {
        return eightBit;
    }

    @Override
    public boolean needsSmtpUtf8() {
        return utf8;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        try {
            mail.getMessage().writeTo(out);
        } catch (MessagingException e) {
            throw new IOException("cannot read the message of " + mail.getName(), e);
        }
    }

    /** Discards what it is given, counting it and noting whether an octet above 127 went by. */
    private static final class EightBitScanner extends OutputStream {
        private boolean found;
        private long octets;

        @Override
        public void write(int b) {
            octets++;
            found |= (b & 0x80) != 0;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            octets += length;
            for (int i = offset; i < offset + length && !found; i++) {
                found = (bytes[i] & 0x80) != 0;
            }
        }
    }
}

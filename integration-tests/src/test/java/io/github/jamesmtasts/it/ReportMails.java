package io.github.jamesmtasts.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jamesmtasts.testkit.PostfixServer;

import javax.mail.BodyPart;
import javax.mail.Session;
import javax.mail.internet.ContentType;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/** TLS-RPT report mails (RFC 8460 §5.3) as a reporting domain's Postfix MX received them. */
final class ReportMails {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportMails() {
    }

    /**
     * Waits for the next report period when less than {@code needed} of the current one is left; returns the start of
     * the period the test then runs in.
     */
    static Instant awaitRoomInPeriod(Duration period, Duration needed) throws InterruptedException {
        long length = period.getSeconds();
        long now = Instant.now().getEpochSecond();
        long start = now - Math.floorMod(now, length);
        if (start + length - now < needed.getSeconds()) {
            Thread.sleep((start + length - now) * 1000 + 500);
            start += length;
        }
        return Instant.ofEpochSecond(start);
    }

    /** The raw report mails about {@code domain} in {@code mailbox} of {@code mx} now. */
    static List<String> about(PostfixServer mx, String mailbox, String domain) {
        return World.received(mx, mailbox).stream()
            .filter(raw -> domain.equals(header(parse(raw), "TLS-Report-Domain")))
            .collect(Collectors.toList());
    }

    /** The report a report mail carries: its {@code application/tlsrpt+gzip} part, inflated. */
    static JsonNode report(String raw) throws Exception {
        return gunzipJson(attachment(parse(raw)));
    }

    static MimeMessage parse(String raw) {
        try {
            return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("not a MIME message: " + raw, e);
        }
    }

    static String header(MimeMessage message, String name) {
        try {
            return message.getHeader(name, ",");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static byte[] attachment(MimeMessage message) throws Exception {
        MimeMultipart parts = (MimeMultipart) message.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart part = parts.getBodyPart(i);
            if (new ContentType(part.getContentType()).getBaseType().equalsIgnoreCase("application/tlsrpt+gzip")) {
                try (InputStream in = part.getInputStream()) {
                    return in.readAllBytes();
                }
            }
        }
        throw new AssertionError("no application/tlsrpt+gzip part");
    }

    static JsonNode gunzipJson(byte[] gzip) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return JSON.readTree(in);
        }
    }
}

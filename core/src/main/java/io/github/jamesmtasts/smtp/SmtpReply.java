package io.github.jamesmtasts.smtp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A server reply (RFC 5321 §4.2): the code, the enhanced status code if any (RFC 3463), and its text lines. */
public final class SmtpReply {
    // RFC 3463 §2 / RFC 2034 §4: class.subject.detail at the start of the text, class 2, 4 or 5,
    // subject and detail of one to three digits, followed by a space or the end of the line.
    private static final Pattern ENHANCED_CODE = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?: |$)");

    private final int code;
    private final String enhancedCode;
    private final List<String> lines;

    public SmtpReply(int code, String enhancedCode, List<String> lines) {
        this.code = code;
        this.enhancedCode = enhancedCode;
        this.lines = List.copyOf(lines);
    }

    /**
     * A reply as the server sent it: the enhanced status code is taken from the start of the first
     * line when it has the form of RFC 3463 and its class agrees with the reply code (RFC 2034 §4).
     */
    public static SmtpReply parse(int code, List<String> lines) {
        String enhanced = null;
        if (!lines.isEmpty()) {
            Matcher matcher = ENHANCED_CODE.matcher(lines.get(0));
            if (matcher.find() && Integer.parseInt(matcher.group(1)) == code / 100) {
                enhanced = matcher.group(1) + "." + matcher.group(2) + "." + matcher.group(3);
            }
        }
        return new SmtpReply(code, enhanced, lines);
    }

    /**
     * A reply made by this client, not sent by the server, for a message that cannot go this way
     * (too big, needs 8BITMIME, SMTPUTF8 or REQUIRETLS): bounces quote it like a server's.
     */
    public static SmtpReply local(int code, String enhancedCode, String text) {
        return new SmtpReply(code, enhancedCode, List.of(enhancedCode + " " + text));
    }

    public int code() {
        return code;
    }

    /** The enhanced status code such as {@code 5.7.1}, when the server sent one. */
    public Optional<String> enhancedCode() {
        return Optional.ofNullable(enhancedCode);
    }

    public List<String> lines() {
        return lines;
    }

    /** 2yz: the command succeeded (RFC 5321 §4.2.1). */
    public boolean isPositiveCompletion() {
        return code >= 200 && code < 300;
    }

    /** 3yz: more is expected, as 354 after {@code DATA}. */
    public boolean isPositiveIntermediate() {
        return code >= 300 && code < 400;
    }

    /** 421: the server is closing the connection (RFC 5321 §3.8). */
    public boolean isServiceClosing() {
        return code == 421;
    }

    public boolean isPositive() {
        return code >= 200 && code < 400;
    }

    public boolean isTransientFailure() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanentFailure() {
        return code >= 500;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SmtpReply)) {
            return false;
        }
        SmtpReply other = (SmtpReply) o;
        return code == other.code && Objects.equals(enhancedCode, other.enhancedCode) && lines.equals(other.lines);
    }

    @Override
    public int hashCode() {
        return Objects.hash(code, enhancedCode, lines);
    }

    /** The reply as the server wrote it, lines joined by a space. */
    @Override
    public String toString() {
        return code + " " + String.join(" ", lines);
    }
}

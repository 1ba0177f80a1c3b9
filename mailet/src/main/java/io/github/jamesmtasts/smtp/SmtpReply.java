package io.github.jamesmtasts.smtp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A server reply (RFC 5321 §4.2): the code, the enhanced status code if any (RFC 3463), and its text lines. */
public final class SmtpReply {
    private final int code;
    private final String enhancedCode;
    private final List<String> lines;

    public SmtpReply(int code, String enhancedCode, List<String> lines) {
        this.code = code;
        this.enhancedCode = enhancedCode;
        this.lines = List.copyOf(lines);
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

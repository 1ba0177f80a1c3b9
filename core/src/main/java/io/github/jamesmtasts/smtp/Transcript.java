package io.github.jamesmtasts.smtp;

import java.util.ArrayList;
import java.util.List;

/**
 * The commands and replies of one delivery attempt, for logs and bounces. Commands are written
 * {@code C: ...}, reply lines {@code S: 250-...}, and what the client itself noted (connection,
 * TLS, fallbacks) {@code *: ...}. The message body never appears: only its size. Thread-safe, since
 * the event loop and the thread streaming the body both write to it.
 */
final class Transcript {
    private final List<String> lines = new ArrayList<>();

    synchronized void command(String command) {
        lines.add("C: " + command);
    }

    synchronized void reply(SmtpReply reply) {
        List<String> text = reply.lines();
        if (text.isEmpty()) {
            lines.add("S: " + reply.code());
            return;
        }
        for (int i = 0; i < text.size(); i++) {
            lines.add("S: " + reply.code() + (i == text.size() - 1 ? " " : "-") + text.get(i));
        }
    }

    synchronized void note(String note) {
        lines.add("*: " + note);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}

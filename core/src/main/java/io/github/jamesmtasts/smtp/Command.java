package io.github.jamesmtasts.smtp;

import java.time.Duration;
import java.util.Objects;

import io.netty.handler.codec.smtp.SmtpRequest;

/** One SMTP command to send: the Netty request, the step it belongs to, how long its reply may take, and its transcript text. */
final class Command {
    private final SmtpRequest request;
    private final SmtpStep step;
    private final Duration timeout;
    private final String text;

    Command(SmtpRequest request, SmtpStep step, Duration timeout, String text) {
        this.request = Objects.requireNonNull(request, "request");
        this.step = Objects.requireNonNull(step, "step");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.text = Objects.requireNonNull(text, "text");
    }

    /** The same command with another reply timeout. */
    Command waitingAtMost(Duration replyTimeout) {
        return new Command(request, step, replyTimeout, text);
    }

    SmtpRequest request() {
        return request;
    }

    SmtpStep step() {
        return step;
    }

    Duration timeout() {
        return timeout;
    }

    @Override
    public String toString() {
        return text;
    }
}

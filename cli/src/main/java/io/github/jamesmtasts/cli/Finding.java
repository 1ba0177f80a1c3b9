package io.github.jamesmtasts.cli;

import io.github.jamesmtasts.result.ResultType;

import java.util.Objects;
import java.util.Optional;

/** One line of a check: which step, about what, how it went, and the RFC 8460 result type of a problem. */
final class Finding {
    /** How a finding weighs. */
    enum Status { OK, INFO, WARNING, PROBLEM }

    private final String step;
    private final String subject;
    private final Status status;
    private final String message;
    private final ResultType resultType;

    private Finding(String step, String subject, Status status, String message, ResultType resultType) {
        this.step = Objects.requireNonNull(step, "step");
        this.subject = Objects.requireNonNull(subject, "subject");
        this.status = Objects.requireNonNull(status, "status");
        this.message = Objects.requireNonNull(message, "message");
        this.resultType = resultType;
    }

    static Finding of(String step, String subject, Status status, String message) {
        return new Finding(step, subject, status, message, null);
    }

    static Finding problem(String step, String subject, ResultType type, String message) {
        return new Finding(step, subject, Status.PROBLEM, message, type);
    }

    String step() {
        return step;
    }

    String subject() {
        return subject;
    }

    Status status() {
        return status;
    }

    String message() {
        return message;
    }

    Optional<ResultType> resultType() {
        return Optional.ofNullable(resultType);
    }
}

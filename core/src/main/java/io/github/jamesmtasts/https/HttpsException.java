package io.github.jamesmtasts.https;

import java.util.Objects;
import java.util.concurrent.CompletionException;

/**
 * How an {@link HttpsClient} future fails: it carries the {@link HttpsFailure}. Futures fail with
 * nothing else; {@link #failureOf(Throwable)} reads the failure back out of what a future's
 * {@code handle} or {@code exceptionally} stage receives.
 */
public final class HttpsException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient HttpsFailure failure;

    public HttpsException(HttpsFailure failure) {
        super(failure.toString());
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    public HttpsFailure failure() {
        return failure;
    }

    /** The failure behind an exception from an {@link HttpsClient} future, unwrapping {@link CompletionException}. */
    public static HttpsFailure failureOf(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof HttpsException) {
            return ((HttpsException) cause).failure();
        }
        return HttpsFailure.of(HttpsFailure.Kind.PROTOCOL, "unexpected " + cause);
    }
}

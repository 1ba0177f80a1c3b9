package io.github.jamesmtasts.https;

import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request's life: its result, its time limit, and the connection it holds. The first outcome
 * wins; whatever the outcome, the timer is stopped and the connection closed.
 */
final class Exchange {
    private final CompletableFuture<HttpsResponse> result = new CompletableFuture<>();
    private final Limits limits;
    private final ScheduledFuture<?> timer;
    private volatile Channel channel;

    Exchange(Limits limits, EventExecutor timerExecutor) {
        this.limits = limits;
        this.timer = timerExecutor.schedule(
            () -> fail(HttpsFailure.of(HttpsFailure.Kind.TIMEOUT, "no complete response within " + limits.timeout())),
            limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
        result.whenComplete((response, error) -> {
            timer.cancel(false);
            Channel open = channel;
            if (open != null) {
                open.close();
            }
        });
    }

    CompletableFuture<HttpsResponse> result() {
        return result;
    }

    Limits limits() {
        return limits;
    }

    boolean isDone() {
        return result.isDone();
    }

    /** The connection now serving this exchange; closed at once if the exchange already ended. */
    void attach(Channel connection) {
        this.channel = connection;
        if (result.isDone()) {
            connection.close();
        }
    }

    void succeed(HttpsResponse response) {
        result.complete(response);
    }

    void fail(HttpsFailure failure) {
        result.completeExceptionally(new HttpsException(failure));
    }
}

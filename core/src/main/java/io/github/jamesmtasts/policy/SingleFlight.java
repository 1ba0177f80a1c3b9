package io.github.jamesmtasts.policy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Runs at most one piece of asynchronous work per key at a time: a caller that comes while the work
 * for its key is under way gets the same future instead of starting it again.
 */
final class SingleFlight<K, V> {
    private final ConcurrentMap<K, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();

    CompletableFuture<V> run(K key, Supplier<CompletableFuture<V>> work) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return running;
        }
        CompletableFuture<V> started;
        try {
            started = work.get();
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        started.whenComplete((value, error) -> {
            inFlight.remove(key, mine);
            if (error == null) {
                mine.complete(value);
            } else {
                mine.completeExceptionally(error);
            }
        });
        return mine;
    }
}

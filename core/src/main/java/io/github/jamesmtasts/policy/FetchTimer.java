package io.github.jamesmtasts.policy;

/**
 * Times policy fetches (RFC 8461 §3.3), the slow part of a policy look-up, for the server's metrics.
 * The engine itself knows nothing of metrics: the James adapter gives it a timer.
 */
@FunctionalInterface
public interface FetchTimer {
    /** Starts timing one fetch; running the returned task stops the timer and records it. */
    Runnable start();

    /** A timer that records nothing. */
    static FetchTimer none() {
        return () -> () -> { };
    }
}

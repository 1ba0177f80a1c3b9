package io.github.jamesmtasts.result;

/**
 * Receives every session result as delivery produces it. TLS-RPT's aggregator is the real sink;
 * an implementation must be thread-safe and must not block delivery for long.
 */
@FunctionalInterface
public interface ResultSink {
    void record(SessionResult result);

    /** A sink that keeps nothing, for when TLS-RPT is switched off. */
    static ResultSink discarding() {
        return result -> { };
    }
}

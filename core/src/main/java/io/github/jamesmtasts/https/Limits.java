package io.github.jamesmtasts.https;

import java.time.Duration;
import java.util.Objects;

/** How much one exchange may take: the longest response body, and the time from start to end. */
public final class Limits {
    /** 64 KiB and one minute: RFC 8461 §3.3's suggestion for a policy fetch, and enough for a report's answer. */
    public static final Limits DEFAULT = of(64 * 1024, Duration.ofMinutes(1));

    private final int maxBodyBytes;
    private final Duration timeout;

    private Limits(int maxBodyBytes, Duration timeout) {
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxBodyBytes must not be negative");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        this.maxBodyBytes = maxBodyBytes;
        this.timeout = timeout;
    }

    /**
     * @param maxBodyBytes the longest response body accepted; a longer one fails the exchange
     * @param timeout      the time allowed for everything: DNS, connection, TLS, request and response
     */
    public static Limits of(int maxBodyBytes, Duration timeout) {
        return new Limits(maxBodyBytes, Objects.requireNonNull(timeout, "timeout"));
    }

    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    public Duration timeout() {
        return timeout;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Limits && maxBodyBytes == ((Limits) o).maxBodyBytes && timeout.equals(((Limits) o).timeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxBodyBytes, timeout);
    }

    @Override
    public String toString() {
        return maxBodyBytes + " bytes in " + timeout;
    }
}

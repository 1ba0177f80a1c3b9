package io.github.jamesmtasts.smtp;

import java.util.Objects;

/**
 * Where sessions go: an MX address under one TLS stance. The {@link ConnectionPool} keeps and limits the sessions
 * of each destination (Postfix's word for what its concurrency limit is per).
 */
final class Destination {
    private final MxTarget target;
    private final TlsStance stance;

    Destination(MxTarget target, TlsStance stance) {
        this.target = Objects.requireNonNull(target, "target");
        this.stance = Objects.requireNonNull(stance, "stance");
    }

    MxTarget target() {
        return target;
    }

    TlsStance stance() {
        return stance;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Destination)) {
            return false;
        }
        Destination other = (Destination) o;
        return target.equals(other.target) && stance == other.stance;
    }

    @Override
    public int hashCode() {
        return Objects.hash(target, stance);
    }

    @Override
    public String toString() {
        return target + " " + stance;
    }
}

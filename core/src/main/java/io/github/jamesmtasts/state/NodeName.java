package io.github.jamesmtasts.state;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name of one James server in a cluster, under which it writes its own counts and claims reports: letters,
 * digits, dots, dashes and underscores, 1 to 64 of them (so it is a safe file name too). Each node needs its own,
 * the same across its restarts. Immutable.
 */
public final class NodeName {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final String name;

    private NodeName(String name) {
        this.name = name;
    }

    /** @throws IllegalArgumentException if {@code name} is not a valid node name */
    public static NodeName of(String name) {
        if (!VALID.matcher(Objects.requireNonNull(name, "name")).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("a node name is 1 to 64 letters, digits, '.', '-' or '_': " + name);
        }
        return new NodeName(name);
    }

    public String value() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeName && name.equals(((NodeName) o).name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}

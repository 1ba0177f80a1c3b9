package io.github.jamesmtasts.dns;

import java.util.Objects;

/** One MX record: a host name (A-label, lower case, no trailing dot) and its preference. */
public final class MxHost {
    private final String hostname;
    private final int preference;

    public MxHost(String hostname, int preference) {
        this.hostname = Objects.requireNonNull(hostname, "hostname");
        this.preference = preference;
    }

    public String hostname() {
        return hostname;
    }

    public int preference() {
        return preference;
    }

    /** RFC 7505 §3: a single MX with an empty host name (".") says the domain accepts no mail. */
    public boolean isNullMx() {
        return hostname.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MxHost)) {
            return false;
        }
        MxHost other = (MxHost) o;
        return hostname.equals(other.hostname) && preference == other.preference;
    }

    @Override
    public int hashCode() {
        return Objects.hash(hostname, preference);
    }

    @Override
    public String toString() {
        return preference + " " + (hostname.isEmpty() ? "." : hostname);
    }
}

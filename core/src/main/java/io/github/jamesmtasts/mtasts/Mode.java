package io.github.jamesmtasts.mtasts;

import java.util.Locale;
import java.util.Optional;

/** RFC 8461 §5: what a sender does with a policy. */
public enum Mode {
    /** Deliver only to matching MX hosts over verified TLS; otherwise defer. */
    ENFORCE,
    /** Deliver as without a policy, and report every failure. */
    TESTING,
    /** The domain has withdrawn its policy: deliver as without one. */
    NONE;

    /** The keyword as it stands in a policy file ({@code enforce}, {@code testing}, {@code none}). */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** RFC 8461 §3.2: the {@code mode} value is case-sensitive. */
    public static Optional<Mode> fromKeyword(String keyword) {
        for (Mode mode : values()) {
            if (mode.keyword().equals(keyword)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}

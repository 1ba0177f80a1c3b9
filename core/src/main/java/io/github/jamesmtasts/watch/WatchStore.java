package io.github.jamesmtasts.watch;

import java.util.Optional;

/** Where the watch keeps each domain's last {@link DomainState}, so that a restart does not alert again about what was known. */
public interface WatchStore {
    /** The last state saved for a domain; empty if none, or if it cannot be read. */
    Optional<DomainState> load(String domain);

    /** Replaces the domain's state. */
    void save(DomainState state);
}

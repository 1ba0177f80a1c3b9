package io.github.jamesmtasts.policy;

import java.util.List;

/**
 * Where cached policies outlive the process (RFC 8461 §10.2: a cache lost at restart gives an
 * attacker who blocks policy discovery a new chance). Implementations are thread-safe; a record that
 * cannot be read is left out of {@link #loadAll()} rather than failing it.
 */
public interface PolicyStore {
    /** Every policy stored, expired ones included. */
    List<CachedPolicy> loadAll();

    /** Stores a domain's policy, replacing the one stored before. */
    void save(CachedPolicy policy);

    /** Forgets a domain's policy. */
    void remove(String domain);
}

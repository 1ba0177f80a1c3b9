package io.github.jamesmtasts.delivery;

import io.github.jamesmtasts.dns.HostNames;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The mail admin's MTA-STS switch, shared by every delivery and changeable while the server runs:
 * one global {@link EnforcementMode} and per-domain {@link DomainOverride}s that win over it until
 * they expire. Thread-safe.
 */
public final class Enforcement {
    private final AtomicReference<EnforcementMode> global;
    private final AtomicBoolean globalSet = new AtomicBoolean();
    private final ConcurrentMap<String, DomainOverride> overrides = new ConcurrentHashMap<>();
    private final Clock clock;

    public Enforcement(EnforcementMode initial, Clock clock) {
        this.global = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public EnforcementMode global() {
        return global.get();
    }

    /** Sets the global switch: the admin's choice, which a configured default no longer changes. */
    public void setGlobal(EnforcementMode mode) {
        global.set(Objects.requireNonNull(mode, "mode"));
        globalSet.set(true);
    }

    /** Sets the global switch unless an admin already set it (a saved WebAdmin choice outlives a restart). */
    public void setDefaultGlobal(EnforcementMode mode) {
        Objects.requireNonNull(mode, "mode");
        if (!globalSet.get()) {
            global.set(mode);
        }
    }

    /** Sets or replaces the override of a domain (any case, with or without a trailing dot). */
    public void override(String domain, DomainOverride override) {
        overrides.put(HostNames.normalize(domain), Objects.requireNonNull(override, "override"));
    }

    /** Removes the override of a domain; returns whether there was one. */
    public boolean removeOverride(String domain) {
        return overrides.remove(HostNames.normalize(domain)) != null;
    }

    /** The override in force for a domain, if any; an expired one is dropped on the way. */
    public Optional<DomainOverride> overrideOf(String domain) {
        String key = HostNames.normalize(domain);
        DomainOverride override = overrides.get(key);
        if (override != null && !override.isActiveAt(clock.instant())) {
            overrides.remove(key, override);
            return Optional.empty();
        }
        return Optional.ofNullable(override);
    }

    /** The overrides in force, by domain in alphabetical order. */
    public Map<String, DomainOverride> overrides() {
        overrides.entrySet().removeIf(entry -> !entry.getValue().isActiveAt(clock.instant()));
        return new TreeMap<>(overrides);
    }

    /** The mode that applies to a recipient domain now: its override, else the global switch. */
    public EnforcementMode modeFor(String domain) {
        return overrideOf(domain).map(DomainOverride::mode).orElseGet(global::get);
    }
}

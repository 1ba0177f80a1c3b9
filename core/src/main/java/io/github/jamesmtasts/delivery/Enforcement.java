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
 * The mail admin's switches, shared by every delivery and changeable while the server runs: one global
 * {@link EnforcementMode} for MTA-STS, one global {@link DaneMode}, and per-domain {@link DomainOverride}s that win
 * over them until they expire. Thread-safe.
 */
public final class Enforcement {
    private final AtomicReference<EnforcementMode> global;
    private final AtomicBoolean globalSet = new AtomicBoolean();
    private final AtomicReference<DaneMode> dane = new AtomicReference<>(DaneMode.ON);
    private final AtomicBoolean daneSet = new AtomicBoolean();
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

    /** The global DANE switch. */
    public DaneMode dane() {
        return dane.get();
    }

    /** Sets the global DANE switch: the admin's choice, which a configured default no longer changes. */
    public void setDane(DaneMode mode) {
        dane.set(Objects.requireNonNull(mode, "mode"));
        daneSet.set(true);
    }

    /** Sets the global DANE switch unless an admin already set it. */
    public void setDefaultDane(DaneMode mode) {
        Objects.requireNonNull(mode, "mode");
        if (!daneSet.get()) {
            dane.set(mode);
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

    /** The MTA-STS mode that applies to a recipient domain now: its override, else the global switch. */
    public EnforcementMode modeFor(String domain) {
        return overrideOf(domain).flatMap(DomainOverride::mode).orElseGet(global::get);
    }

    /** The DANE mode that applies to a recipient domain now: its override, else the global switch. */
    public DaneMode daneFor(String domain) {
        return overrideOf(domain).flatMap(DomainOverride::dane).orElseGet(dane::get);
    }
}

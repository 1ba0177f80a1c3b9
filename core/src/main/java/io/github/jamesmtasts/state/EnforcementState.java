package io.github.jamesmtasts.state;

import io.github.jamesmtasts.delivery.DaneMode;
import io.github.jamesmtasts.delivery.DomainOverride;
import io.github.jamesmtasts.delivery.Enforcement;
import io.github.jamesmtasts.delivery.EnforcementMode;
import io.github.jamesmtasts.dns.HostNames;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the admin switched, as stored: the global MTA-STS and DANE modes if an admin set them (else the configured
 * defaults apply) and the per-domain overrides with their expiry instants. Immutable; the overrides are keyed by
 * normalised domain, in alphabetical order.
 */
public final class EnforcementState {
    private static final EnforcementState EMPTY = new EnforcementState(null, null, Map.of());

    private final EnforcementMode global;
    private final DaneMode dane;
    private final Map<String, DomainOverride> overrides;

    private EnforcementState(EnforcementMode global, DaneMode dane, Map<String, DomainOverride> overrides) {
        this.global = global;
        this.dane = dane;
        this.overrides = Collections.unmodifiableMap(new TreeMap<>(overrides));
    }

    /** Nothing switched yet. */
    public static EnforcementState empty() {
        return EMPTY;
    }

    /** What {@code enforcement} holds now: its switches (as set) and its overrides in force. */
    public static EnforcementState of(Enforcement enforcement) {
        return new EnforcementState(enforcement.global(), enforcement.dane(), enforcement.overrides());
    }

    public Optional<EnforcementMode> global() {
        return Optional.ofNullable(global);
    }

    public Optional<DaneMode> dane() {
        return Optional.ofNullable(dane);
    }

    public Map<String, DomainOverride> overrides() {
        return overrides;
    }

    public EnforcementState withGlobal(EnforcementMode mode) {
        return new EnforcementState(Objects.requireNonNull(mode, "mode"), dane, overrides);
    }

    public EnforcementState withDane(DaneMode mode) {
        return new EnforcementState(global, Objects.requireNonNull(mode, "mode"), overrides);
    }

    /** With {@code override} for {@code domain} (any case, with or without a trailing dot), replacing one it had. */
    public EnforcementState withOverride(String domain, DomainOverride override) {
        Map<String, DomainOverride> changed = new TreeMap<>(overrides);
        changed.put(HostNames.normalize(domain), Objects.requireNonNull(override, "override"));
        return new EnforcementState(global, dane, changed);
    }

    public EnforcementState withoutOverride(String domain) {
        Map<String, DomainOverride> changed = new TreeMap<>(overrides);
        changed.remove(HostNames.normalize(domain));
        return new EnforcementState(global, dane, changed);
    }

    /** Without the overrides that expired by {@code now}. */
    public EnforcementState activeAt(Instant now) {
        Map<String, DomainOverride> active = new TreeMap<>(overrides);
        active.values().removeIf(override -> !override.isActiveAt(now));
        return new EnforcementState(global, dane, active);
    }

    /** Makes {@code enforcement} hold this state: the switches that are set, exactly these overrides. */
    public void applyTo(Enforcement enforcement) {
        global().ifPresent(enforcement::setGlobal);
        dane().ifPresent(enforcement::setDane);
        enforcement.overrides().keySet().stream().filter(domain -> !overrides.containsKey(domain))
            .forEach(enforcement::removeOverride);
        overrides.forEach(enforcement::override);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EnforcementState)) {
            return false;
        }
        EnforcementState other = (EnforcementState) o;
        return global == other.global && dane == other.dane && overrides.equals(other.overrides);
    }

    @Override
    public int hashCode() {
        return Objects.hash(global, dane, overrides);
    }

    @Override
    public String toString() {
        return "global " + global + ", dane " + dane + ", overrides " + overrides;
    }
}

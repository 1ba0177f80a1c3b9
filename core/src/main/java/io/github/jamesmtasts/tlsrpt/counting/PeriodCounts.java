package io.github.jamesmtasts.tlsrpt.counting;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Everything counted in one {@link ReportPeriod}, by {@link PolicyScope}. Immutable. */
public final class PeriodCounts {
    private final ReportPeriod period;
    private final Map<PolicyScope, PolicyCounts> byScope;

    private PeriodCounts(ReportPeriod period, Map<PolicyScope, PolicyCounts> byScope) {
        this.period = Objects.requireNonNull(period, "period");
        this.byScope = byScope;
    }

    /** Counts of one period; several entries of one scope are added up. */
    public static PeriodCounts of(ReportPeriod period, Collection<PolicyCounts> counts) {
        Map<PolicyScope, PolicyCounts> byScope = new LinkedHashMap<>();
        for (PolicyCounts each : counts) {
            byScope.merge(each.scope(), each, PolicyCounts::plus);
        }
        return new PeriodCounts(period, byScope);
    }

    public static PeriodCounts empty(ReportPeriod period) {
        return new PeriodCounts(period, Map.of());
    }

    public ReportPeriod period() {
        return period;
    }

    public List<PolicyCounts> policies() {
        return List.copyOf(byScope.values());
    }

    /** The policy domains that have counts, sorted. */
    public Set<String> policyDomains() {
        return byScope.keySet().stream().map(PolicyScope::policyDomain).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The counts of one policy domain, one entry per policy it was held to. */
    public List<PolicyCounts> forDomain(String policyDomain) {
        return byScope.values().stream()
            .filter(counts -> counts.scope().policyDomain().equals(policyDomain))
            .collect(Collectors.toList());
    }

    public boolean isEmpty() {
        return byScope.isEmpty();
    }

    /** These counts and {@code other}'s added up. */
    public PeriodCounts plus(PeriodCounts other) {
        if (!period.equals(other.period)) {
            throw new IllegalArgumentException("cannot add counts of " + other.period + " to " + period);
        }
        List<PolicyCounts> all = new ArrayList<>(byScope.values());
        all.addAll(other.byScope.values());
        return of(period, all);
    }

    /** These counts without the given policy domain's. */
    public PeriodCounts withoutDomain(String policyDomain) {
        return of(period, byScope.values().stream()
            .filter(counts -> !counts.scope().policyDomain().equals(policyDomain))
            .collect(Collectors.toList()));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PeriodCounts)) {
            return false;
        }
        PeriodCounts other = (PeriodCounts) o;
        return period.equals(other.period) && byScope.equals(other.byScope);
    }

    @Override
    public int hashCode() {
        return Objects.hash(period, byScope);
    }

    @Override
    public String toString() {
        return period + " " + byScope.values();
    }
}

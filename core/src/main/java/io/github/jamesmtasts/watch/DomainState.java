package io.github.jamesmtasts.watch;

import io.github.jamesmtasts.check.CheckReport;
import io.github.jamesmtasts.check.Finding;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** What the last check of a domain found, finding by {@link Finding#key()}, and when: what the next check is compared with. */
public final class DomainState {
    private final String domain;
    private final Instant checked;
    private final Map<String, Finding> findings;

    private DomainState(String domain, Instant checked, Map<String, Finding> findings) {
        this.domain = Objects.requireNonNull(domain, "domain");
        this.checked = Objects.requireNonNull(checked, "checked");
        this.findings = findings;
    }

    /** The findings of a report made at {@code checked}; of two with one key, the first. */
    public static DomainState of(String domain, Instant checked, Collection<Finding> findings) {
        Map<String, Finding> byKey = new LinkedHashMap<>();
        findings.forEach(finding -> byKey.putIfAbsent(finding.key(), finding));
        return new DomainState(domain, checked, Collections.unmodifiableMap(byKey));
    }

    public static DomainState of(CheckReport report, Instant checked) {
        return of(report.domain(), checked, report.findings());
    }

    public String domain() {
        return domain;
    }

    public Instant checked() {
        return checked;
    }

    public Collection<Finding> findings() {
        return findings.values();
    }

    public Optional<Finding> finding(String key) {
        return Optional.ofNullable(findings.get(key));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DomainState)) {
            return false;
        }
        DomainState other = (DomainState) o;
        return domain.equals(other.domain) && checked.equals(other.checked) && findings.equals(other.findings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(domain, checked, findings);
    }

    @Override
    public String toString() {
        return domain + " at " + checked + ": " + findings.values();
    }
}

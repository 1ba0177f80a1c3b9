package io.github.jamesmtasts.watch;

import io.github.jamesmtasts.check.CheckReport;
import io.github.jamesmtasts.check.DomainCheck;
import io.github.jamesmtasts.check.ExpectedPolicy;
import io.github.jamesmtasts.check.Finding;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One round of the watch: checks each domain, compares with its stored state, stores the new one, and returns
 * the alerts to send. When to run it (daily, on demand) and how to send the alerts is the caller's business.
 */
public final class WatchRun {
    private final DomainCheck check;
    private final WatchStore store;
    private final Watch watch;
    private final Clock clock;

    public WatchRun(DomainCheck check, WatchStore store, Watch watch, Clock clock) {
        this.check = Objects.requireNonNull(check, "check");
        this.store = Objects.requireNonNull(store, "store");
        this.watch = Objects.requireNonNull(watch, "watch");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @param domains each domain (an A-label) with the policy its own server serves, if it serves one */
    public List<Alert> run(Map<String, Optional<ExpectedPolicy>> domains) {
        List<Alert> alerts = new ArrayList<>();
        domains.forEach((domain, expected) -> alerts.addAll(run(domain, expected)));
        return alerts;
    }

    /** Checks one domain and returns its alerts. */
    public List<Alert> run(String domain, Optional<ExpectedPolicy> expected) {
        return run(domain, expected, previous -> List.of());
    }

    /**
     * Checks one domain, with findings of the caller's beside the check's (what the TLS-RPT reports received since
     * the previous check say, say), and returns its alerts.
     *
     * @param more the caller's findings, given the domain's previous state
     */
    public List<Alert> run(String domain, Optional<ExpectedPolicy> expected, Function<Optional<DomainState>, List<Finding>> more) {
        Optional<DomainState> previous = store.load(domain);
        CheckReport report = check.check(domain, expected);
        List<Finding> findings = new ArrayList<>(report.findings());
        findings.addAll(more.apply(previous));
        DomainState current = DomainState.of(domain, clock.instant(), findings);
        List<Alert> alerts = watch.alerts(previous, current);
        store.save(current);
        return alerts;
    }
}

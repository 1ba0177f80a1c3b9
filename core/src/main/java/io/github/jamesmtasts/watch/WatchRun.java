package io.github.jamesmtasts.watch;

import io.github.jamesmtasts.check.CheckReport;
import io.github.jamesmtasts.check.DomainCheck;
import io.github.jamesmtasts.check.ExpectedPolicy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
        CheckReport report = check.check(domain, expected);
        DomainState current = DomainState.of(report, clock.instant());
        List<Alert> alerts = watch.alerts(store.load(domain), current);
        store.save(current);
        return alerts;
    }
}

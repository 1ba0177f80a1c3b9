package io.github.jamesmtasts.watch;

import io.github.jamesmtasts.check.ExpiryThreshold;
import io.github.jamesmtasts.check.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What is worth a mail in a new check of a domain, given the last one: a finding that turned bad (a warning or a
 * problem whose key was absent, or good, last time), a certificate that crossed the next expiry threshold, and,
 * when asked for, a bad finding that is gone. The same finding with the same status and threshold as last time
 * says nothing again.
 */
public final class Watch {
    private final boolean tellResolved;

    private Watch(boolean tellResolved) {
        this.tellResolved = tellResolved;
    }

    /** A watch that also tells when a warning or problem is gone. */
    public static Watch withResolvedNotes() {
        return new Watch(true);
    }

    /** A watch that tells only of findings turning bad and of expiry thresholds. */
    public static Watch problemsOnly() {
        return new Watch(false);
    }

    /** @param previous the state of the last check; empty for a domain never checked, whose every bad finding is new */
    public List<Alert> alerts(Optional<DomainState> previous, DomainState current) {
        List<Alert> alerts = new ArrayList<>();
        for (Finding finding : current.findings()) {
            if (!finding.status().isBad()) {
                continue;
            }
            Optional<Finding> before = previous.flatMap(state -> state.finding(finding.key())).filter(old -> old.status().isBad());
            if (before.isEmpty()) {
                alerts.add(Alert.of(current.domain(), finding, finding.expiry().isPresent() ? Alert.Kind.EXPIRING : Alert.Kind.NEW_PROBLEM));
            } else if (crossedNext(before.get(), finding)) {
                alerts.add(Alert.of(current.domain(), finding, Alert.Kind.EXPIRING));
            } else if (finding.status().compareTo(before.get().status()) > 0) {
                alerts.add(Alert.of(current.domain(), finding, Alert.Kind.NEW_PROBLEM));
            }
        }
        if (tellResolved) {
            previous.ifPresent(state -> state.findings().stream()
                .filter(old -> old.status().isBad())
                .filter(old -> current.finding(old.key()).filter(now -> now.status().isBad()).isEmpty())
                .forEach(old -> alerts.add(Alert.of(current.domain(), old, Alert.Kind.RESOLVED))));
        }
        return alerts;
    }

    /** Whether a certificate is now past a more urgent threshold than last time; a renewed certificate still inside a threshold, or back in a milder one, is not. */
    private static boolean crossedNext(Finding before, Finding now) {
        Optional<ExpiryThreshold> was = before.expiry();
        return now.expiry().filter(threshold -> was.isEmpty() || threshold.isMoreUrgentThan(was.get())).isPresent();
    }
}

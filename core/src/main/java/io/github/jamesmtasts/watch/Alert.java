package io.github.jamesmtasts.watch;

import io.github.jamesmtasts.check.Finding;

import java.util.Objects;

/** One thing to tell the admin of a watched domain: a finding that turned bad, a certificate nearer its end, or a problem gone. */
public final class Alert {
    /** Why the admin hears of a finding. */
    public enum Kind {
        /** A finding that was good or absent is now a warning or a problem. */
        NEW_PROBLEM,
        /** A certificate crossed the next expiry threshold (30, 14, 7 days). */
        EXPIRING,
        /** A warning or problem of the last check is gone. */
        RESOLVED
    }

    private final String domain;
    private final Finding finding;
    private final Kind kind;

    private Alert(String domain, Finding finding, Kind kind) {
        this.domain = Objects.requireNonNull(domain, "domain");
        this.finding = Objects.requireNonNull(finding, "finding");
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** @param finding the new finding; for {@link Kind#RESOLVED}, the one that went away */
    public static Alert of(String domain, Finding finding, Kind kind) {
        return new Alert(domain, finding, kind);
    }

    public String domain() {
        return domain;
    }

    public Finding finding() {
        return finding;
    }

    public Kind kind() {
        return kind;
    }

    /** A one-line mail subject. */
    public String subject() {
        switch (kind) {
            case NEW_PROBLEM:
                return "MTA-STS " + domain + ": " + finding.status() + " " + finding.step() + " " + finding.subject();
            case EXPIRING:
                return "MTA-STS " + domain + ": certificate of " + finding.subject() + ", " + finding.expiry().map(Object::toString).orElse("expiring");
            default:
                return "MTA-STS " + domain + ": resolved " + finding.step() + " " + finding.subject();
        }
    }

    /** A mail body: what happened, and the finding as the check wrote it. */
    public String text() {
        String what;
        switch (kind) {
            case NEW_PROBLEM:
                what = "The MTA-STS check of " + domain + " found something new to fix:";
                break;
            case EXPIRING:
                what = "A certificate senders need to reach " + domain + " is nearing its end:";
                break;
            default:
                what = "This finding of an earlier MTA-STS check of " + domain + " is gone:";
        }
        return what + "\n\n  " + finding + "\n\n(`mta-sts check " + domain + "` shows the whole check.)\n";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Alert)) {
            return false;
        }
        Alert other = (Alert) o;
        return domain.equals(other.domain) && finding.equals(other.finding) && kind == other.kind;
    }

    @Override
    public int hashCode() {
        return Objects.hash(domain, finding, kind);
    }

    @Override
    public String toString() {
        return kind + " " + domain + " " + finding;
    }
}

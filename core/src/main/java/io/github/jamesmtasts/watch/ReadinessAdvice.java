package io.github.jamesmtasts.watch;

import io.github.jamesmtasts.mtasts.Mode;

import java.util.Objects;

/**
 * Whether a domain whose policy is in {@code testing} can move to {@code enforce}: when enough senders have
 * reported over enough days, and none of them saw a failure. RFC 8461 §5 has {@code testing} for exactly this: to
 * learn from the reports (RFC 8460) what {@code enforce} would break before it does.
 */
public final class ReadinessAdvice {
    /** The defaults: three organisations over two weeks. */
    public static final int DEFAULT_SENDERS = 3;
    public static final int DEFAULT_DAYS = 14;

    /** What the evidence says. */
    public enum Verdict {
        /** No failures from enough senders over enough days. */
        READY,
        /** No failures so far, but too few senders or days. */
        NOT_YET,
        /** Some sender failed to deliver over TLS as the policy says: enforce would have deferred its mail. */
        FAILURES,
        /** The policy is not in testing: nothing to advise. */
        NOT_TESTING
    }

    /** A verdict and a sentence for the admin. */
    public static final class Advice {
        private final Verdict verdict;
        private final String text;

        private Advice(Verdict verdict, String text) {
            this.verdict = verdict;
            this.text = text;
        }

        public Verdict verdict() {
            return verdict;
        }

        public String text() {
            return text;
        }

        @Override
        public String toString() {
            return verdict + ": " + text;
        }
    }

    private final int senders;
    private final int days;

    private ReadinessAdvice(int senders, int days) {
        if (senders < 1 || days < 1) {
            throw new IllegalArgumentException("senders and days must be at least 1, not " + senders + " and " + days);
        }
        this.senders = senders;
        this.days = days;
    }

    public static ReadinessAdvice defaults() {
        return of(DEFAULT_SENDERS, DEFAULT_DAYS);
    }

    /**
     * @param senders the distinct reporting organisations needed
     * @param days the days their reports must cover
     */
    public static ReadinessAdvice of(int senders, int days) {
        return new ReadinessAdvice(senders, days);
    }

    public Advice advise(String domain, Mode mode, SenderEvidence evidence) {
        Objects.requireNonNull(evidence, "evidence");
        if (mode != Mode.TESTING) {
            return new Advice(Verdict.NOT_TESTING, domain + " is in mode " + mode.keyword() + ", not testing");
        }
        String seen = evidence.reportingOrganisations() + " senders over " + evidence.daysCovered() + " days";
        if (evidence.failedSessions() > 0) {
            return new Advice(Verdict.FAILURES, evidence.failedSessions() + " failed sessions reported by " + seen
                + ": under enforce their mail to " + domain + " would wait; see the reports before enforcing");
        }
        if (evidence.reportingOrganisations() < senders || evidence.daysCovered() < days) {
            return new Advice(Verdict.NOT_YET, "no failures from " + seen + " so far; ready for enforce after " + senders
                + " senders over " + days + " days");
        }
        return new Advice(Verdict.READY, "no failures from " + seen + ": " + domain + " is ready for enforce");
    }
}

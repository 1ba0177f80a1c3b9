package io.github.jamesmtasts.delivery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The recipients of one attempt towards a domain: who is settled (delivered or refused for good), who is
 * still pending, and why the pending ones wait. A recipient once settled is never tried again. Used by one
 * attempt at a time, step after step.
 */
final class RecipientLedger {
    private final Map<String, DeliveryOutcome> settled = new LinkedHashMap<>();
    private final Set<String> pending;
    private final List<String> steps = new ArrayList<>();
    private DeliveryProblem temporary;
    private DeliveryProblem permanentAtHost;
    private boolean withheldByPolicy;
    private boolean stopped;

    RecipientLedger(List<String> recipients) {
        this.pending = new LinkedHashSet<>(recipients);
    }

    List<String> pending() {
        return List.copyOf(pending);
    }

    /** Whether nothing more is to be tried in this attempt: everybody is settled, or the rest must wait. */
    boolean done() {
        return pending.isEmpty() || stopped;
    }

    void delivered(String recipient, String mxHost) {
        settle(recipient, DeliveryOutcome.delivered(mxHost));
    }

    void bounce(String recipient, DeliveryProblem problem) {
        settle(recipient, DeliveryOutcome.bounce(problem));
    }

    /** Every pending recipient is refused for good (a 5yz to the whole message, a null MX, ...). */
    void bounceAll(DeliveryProblem problem) {
        for (String recipient : pending()) {
            bounce(recipient, problem);
        }
    }

    /**
     * The pending recipients could not go this time. The first MTA-STS or REQUIRETLS problem is kept as the
     * reason, since it says why the other MX hosts were not used; otherwise the latest problem is.
     */
    void temporary(DeliveryProblem problem) {
        if (temporary == null || !temporary.isTlsRequirement()) {
            temporary = problem;
        }
    }

    /**
     * The pending recipients must wait, and no other MX host is tried in this attempt: RFC 5321 §6.1, the MX
     * may already have the message (no reply to the final dot), or the domain's policy is not known yet.
     */
    void stopForNow(DeliveryProblem problem) {
        temporary(problem);
        stopped = true;
    }

    /** RFC 8461 §5.1: the policy kept the mail from an MX host. */
    void withheldByPolicy(DeliveryProblem problem) {
        withheldByPolicy = true;
        temporary(problem);
    }

    /** One MX host cannot take the message at all (no address, the message cannot go that way); others may. */
    void permanentAtHost(DeliveryProblem problem) {
        permanentAtHost = problem;
    }

    /** Notes a step of the attempt for the log line. */
    void step(String step) {
        steps.add(step);
    }

    List<String> steps() {
        return List.copyOf(steps);
    }

    /** Whether recipients still wait and the policy kept the mail from at least one MX host (RFC 8461 §5.1 step 5). */
    boolean withheldByPolicy() {
        return withheldByPolicy && !pending.isEmpty();
    }

    /**
     * The outcome of every recipient. A pending recipient retries, unless every host refused the message
     * for good without any temporary problem: then it bounces.
     */
    Map<String, DeliveryOutcome> outcomes() {
        Map<String, DeliveryOutcome> outcomes = new LinkedHashMap<>(settled);
        for (String recipient : pending) {
            outcomes.put(recipient, temporary == null && permanentAtHost != null
                ? DeliveryOutcome.bounce(permanentAtHost)
                : DeliveryOutcome.retry(temporary != null ? temporary
                    : DeliveryProblem.of(DeliveryProblem.Cause.MESSAGE, "no MX host could be tried")));
        }
        return outcomes;
    }

    private void settle(String recipient, DeliveryOutcome outcome) {
        if (pending.remove(recipient)) {
            settled.put(recipient, outcome);
        }
    }
}

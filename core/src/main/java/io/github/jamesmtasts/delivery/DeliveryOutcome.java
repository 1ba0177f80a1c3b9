package io.github.jamesmtasts.delivery;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** The fate of one recipient after a delivery attempt: delivered, to retry later, or to bounce. */
public final class DeliveryOutcome {
    /** The three fates. */
    public enum Status { DELIVERED, RETRY, BOUNCE }

    private final Status status;
    private final String mxHost;
    private final DeliveryProblem problem;

    private DeliveryOutcome(Status status, String mxHost, DeliveryProblem problem) {
        this.status = status;
        this.mxHost = mxHost;
        this.problem = problem;
    }

    /** Accepted by the MX host named. */
    public static DeliveryOutcome delivered(String mxHost) {
        return new DeliveryOutcome(Status.DELIVERED, Objects.requireNonNull(mxHost, "mxHost"), null);
    }

    /** Not delivered for now; worth another attempt later. */
    public static DeliveryOutcome retry(DeliveryProblem problem) {
        return new DeliveryOutcome(Status.RETRY, null, Objects.requireNonNull(problem, "problem"));
    }

    /** Not deliverable: return to the sender. */
    public static DeliveryOutcome bounce(DeliveryProblem problem) {
        return new DeliveryOutcome(Status.BOUNCE, null, Objects.requireNonNull(problem, "problem"));
    }

    public Status status() {
        return status;
    }

    /** The MX host that accepted the recipient, when delivered. */
    public Optional<String> mxHost() {
        return Optional.ofNullable(mxHost);
    }

    /** Why it was not delivered, unless delivered. */
    public Optional<DeliveryProblem> problem() {
        return Optional.ofNullable(problem);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeliveryOutcome)) {
            return false;
        }
        DeliveryOutcome other = (DeliveryOutcome) o;
        return status == other.status && Objects.equals(mxHost, other.mxHost) && Objects.equals(problem, other.problem);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, mxHost, problem);
    }

    @Override
    public String toString() {
        return status == Status.DELIVERED ? "delivered to " + mxHost : status.name().toLowerCase(Locale.ROOT) + " (" + problem + ")";
    }
}

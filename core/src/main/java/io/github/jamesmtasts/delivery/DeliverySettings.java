package io.github.jamesmtasts.delivery;

import java.util.Objects;

/**
 * The settings of delivery itself; the SMTP client and the policy engine have their own. Immutable.
 * Defaults are James's {@code RemoteDelivery} ones.
 */
public final class DeliverySettings {
    /** RFC 5321 §4.5.4: mail goes to port 25 of the MX hosts. */
    public static final int SMTP_PORT = 25;

    private final RetrySchedule retrySchedule;

    private DeliverySettings(RetrySchedule retrySchedule) {
        this.retrySchedule = Objects.requireNonNull(retrySchedule, "retrySchedule");
    }

    /** Five retries six hours apart and no DNS-problem retries, as {@code RemoteDelivery}. */
    public static DeliverySettings defaults() {
        return new DeliverySettings(RetrySchedule.defaults());
    }

    public DeliverySettings withRetrySchedule(RetrySchedule schedule) {
        return new DeliverySettings(schedule);
    }

    public RetrySchedule retrySchedule() {
        return retrySchedule;
    }

    @Override
    public String toString() {
        return retrySchedule.toString();
    }
}

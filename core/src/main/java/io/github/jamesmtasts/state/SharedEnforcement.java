package io.github.jamesmtasts.state;

import io.github.jamesmtasts.delivery.DaneMode;
import io.github.jamesmtasts.delivery.DomainOverride;
import io.github.jamesmtasts.delivery.Enforcement;
import io.github.jamesmtasts.delivery.EnforcementMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The admin's switches of one node kept in step with the {@link ClusterState}: a change is written to the state
 * first and made in this node's {@link Enforcement} only once it is stored, so what runs is what is stored; and every
 * {@code refreshInterval} the node's {@code Enforcement} is made to hold what the state holds, so a change made on any
 * node applies here within that interval. An override carries its absolute expiry, which every node's clock checks,
 * so it ends everywhere at the same moment, not one refresh later. Changes and refreshes take turns, so a refresh
 * that read the state just before a change cannot undo it.
 */
public final class SharedEnforcement implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(SharedEnforcement.class);

    private final ClusterState state;
    private final Enforcement enforcement;
    private final ScheduledExecutorService refresher;

    private SharedEnforcement(ClusterState state, Enforcement enforcement) {
        this.state = state;
        this.enforcement = enforcement;
        this.refresher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "mta-sts-enforcement-refresh");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Loads what {@code state} holds into {@code enforcement}, then refreshes it every {@code refreshInterval}.
     *
     * @throws IOException if the state cannot be read at start
     */
    public static SharedEnforcement start(ClusterState state, Enforcement enforcement, Duration refreshInterval) throws IOException {
        SharedEnforcement shared = new SharedEnforcement(Objects.requireNonNull(state, "state"),
            Objects.requireNonNull(enforcement, "enforcement"));
        shared.refresh();
        long millis = refreshInterval.toMillis();
        shared.refresher.scheduleWithFixedDelay(shared::refreshOrKeep, millis, millis, TimeUnit.MILLISECONDS);
        return shared;
    }

    /** This node's switches, as deliveries read them. */
    public Enforcement enforcement() {
        return enforcement;
    }

    public synchronized void setGlobal(EnforcementMode mode) throws IOException {
        state.setGlobal(mode);
        enforcement.setGlobal(mode);
    }

    public synchronized void setDane(DaneMode mode) throws IOException {
        state.setDane(mode);
        enforcement.setDane(mode);
    }

    /** Sets the override of a domain everywhere; returns it as stored, its expiry to the millisecond. */
    public synchronized DomainOverride putOverride(String domain, DomainOverride override) throws IOException {
        DomainOverride stored = override.toTheMillisecond();
        state.putOverride(domain, stored);
        enforcement.override(domain, stored);
        return stored;
    }

    /** Removes the override of a domain everywhere; returns whether the state had one. */
    public synchronized boolean removeOverride(String domain) throws IOException {
        boolean removed = state.removeOverride(domain);
        enforcement.removeOverride(domain);
        return removed;
    }

    /** Makes this node's switches what the state holds now. */
    public synchronized void refresh() throws IOException {
        state.enforcement().applyTo(enforcement);
    }

    private void refreshOrKeep() {
        try {
            refresh();
        } catch (IOException | RuntimeException e) {
            LOGGER.warn("MTA-STS enforcement not read from {} ({}); the switches stay as they were", state, e.getMessage());
        }
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}

package io.github.jamesmtasts.state;

import io.github.jamesmtasts.policy.CachedPolicy;
import io.github.jamesmtasts.policy.PolicyEngine;
import io.github.jamesmtasts.policy.PolicyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The MTA-STS policies the James servers of a cluster fetched, shared through the {@link ClusterState}: every policy a
 * server fetches is offered to the state, and every {@code refreshInterval} each server takes from the state the
 * policies fetched later than its own ({@link PolicyEngine#adopt}). So within that interval no server applies an older
 * policy of a domain than one another server stored, even when its own fetch of the new one fails. Each server keeps
 * fetching for itself as RFC 8461 §3.3 says; what is shared is only the newest result.
 */
public final class SharedPolicies implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(SharedPolicies.class);

    private final ClusterState state;
    private final PolicyEngine engine;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "mta-sts-policy-refresh");
        thread.setDaemon(true);
        return thread;
    });

    private SharedPolicies(ClusterState state, PolicyEngine engine) {
        this.state = state;
        this.engine = engine;
    }

    /** The store an engine keeps its policies in: {@code local}, and each saved policy offered to {@code state}. */
    public static PolicyStore offering(PolicyStore local, ClusterState state) {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(state, "state");
        return new PolicyStore() {
            @Override
            public List<CachedPolicy> loadAll() {
                return local.loadAll();
            }

            @Override
            public void save(CachedPolicy policy) {
                local.save(policy);
                try {
                    state.offerPolicy(policy);
                } catch (IOException | RuntimeException e) {
                    LOGGER.warn("The MTA-STS policy of {} (id {}) is not shared with the other nodes: {}", policy.domain(),
                        policy.id(), e.getMessage());
                }
            }

            @Override
            public void remove(String domain) {
                local.remove(domain);
            }
        };
    }

    /** Takes the newer policies of {@code state} into {@code engine} now, then every {@code refreshInterval}. */
    public static SharedPolicies start(ClusterState state, PolicyEngine engine, Duration refreshInterval) {
        SharedPolicies shared = new SharedPolicies(Objects.requireNonNull(state, "state"), Objects.requireNonNull(engine, "engine"));
        long millis = refreshInterval.toMillis();
        shared.refresher.scheduleWithFixedDelay(shared::refresh, 0, millis, TimeUnit.MILLISECONDS);
        return shared;
    }

    /** How many of the state's policies replaced this server's own; the state unreadable changes nothing. */
    int refresh() {
        try {
            return (int) state.policies().stream().filter(engine::adopt).count();
        } catch (IOException | RuntimeException e) {
            LOGGER.warn("The MTA-STS policies of the other nodes not read from {} ({}); this node's own apply", state, e.getMessage());
            return 0;
        }
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}

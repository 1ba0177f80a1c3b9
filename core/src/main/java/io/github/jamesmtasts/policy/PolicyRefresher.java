package io.github.jamesmtasts.policy;

import io.github.jamesmtasts.dns.DnsClient;
import io.github.jamesmtasts.mtasts.Mode;
import io.github.jamesmtasts.mtasts.Policy;
import io.github.jamesmtasts.mtasts.StsDiscovery;
import io.github.jamesmtasts.mtasts.StsRecord;
import io.github.jamesmtasts.result.Failure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Fetches the cached policies of a {@link PolicyEngine} again before they expire, in the background, as
 * mox's {@code mtastsdb/refresh.go} does. Every {@link PolicySettings#refreshCheckInterval()} it has the
 * engine forget expired policies and unused domains, picks the policies of the domains that had mail within
 * {@link PolicySettings#refreshIfUsedWithin()} and are {@link PolicySettings#refreshInterval()} old or
 * within {@link PolicySettings#refreshAhead()} of expiry, and refreshes each at a random time within
 * {@link PolicySettings#refreshSpread()}, so that they do not all start together (RFC 8461 §3.3).
 *
 * <p>A refresh asks DNS for the {@code _mta-sts} TXT record past every cache, then fetches the policy
 * through the engine's fetcher and keeps it in the engine's cache. A policy is fetched again only while its
 * record exists (RFC 8461 §10.2): when DNS says the record is gone (no TXT record, or no valid STS record),
 * the policy is not fetched again; it applies until its {@code max_age} runs out and then expires (§3.1),
 * or is forgotten at once if its mode is {@code none}. When DNS gives no answer, which may be an attack on
 * discovery, a policy whose mode is not {@code none} is fetched anyway. A refresh of such a policy that
 * fails or finds the record gone is logged as a warning and counted ({@link #failures()}, §3.3).
 *
 * <p>It runs on the engine's background thread, so it stops when the engine shuts that thread down:
 * the periodic pass and the refreshes waiting for their time are dropped. Thread-safe.
 */
final class PolicyRefresher {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyRefresher.class);

    private final PolicyEngine engine;
    private final DnsClient dns;
    private final PolicyFetcher fetcher;
    private final PolicySettings settings;
    private final Clock clock;
    private final ScheduledExecutorService background;
    private final AtomicLong failures = new AtomicLong();

    /** A refresher of {@code engine}'s cache on its {@code background} thread; it starts with {@link #start()}. */
    PolicyRefresher(PolicyEngine engine, DnsClient dns, PolicyFetcher fetcher, PolicySettings settings,
                    ScheduledExecutorService background) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.dns = Objects.requireNonNull(dns, "dns");
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = settings.clock();
        this.background = Objects.requireNonNull(background, "background");
    }

    /** Runs {@link #refreshDue()} every {@link PolicySettings#refreshCheckInterval()}, the first one interval from now. */
    void start() {
        long period = settings.refreshCheckInterval().toMillis();
        background.scheduleWithFixedDelay(this::refreshDue, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * One pass over the cache: the engine forgets expired policies and unused domains, and the refresh of
     * every policy due for one starts after a random delay within {@link PolicySettings#refreshSpread()}.
     * The future completes when the refreshes started by this pass have ended, with their number.
     */
    CompletableFuture<Integer> refreshDue() {
        Instant now = clock.instant();
        List<CompletableFuture<Void>> refreshes = new ArrayList<>();
        engine.sweep(now, now.minus(settings.refreshIfUsedWithin()), (name, state) -> {
            CachedPolicy cached = state.policy;
            if (cached != null && isDue(cached, now) && state.refreshing.compareAndSet(false, true)) {
                refreshes.add(later(() -> refresh(name, state).whenComplete((done, error) -> state.refreshing.set(false))));
            }
        });
        return CompletableFuture.allOf(refreshes.toArray(new CompletableFuture<?>[0])).thenApply(done -> refreshes.size());
    }

    /**
     * How many refreshes of a policy whose mode is not {@code none} have failed, or found its record
     * gone, since start.
     */
    long failures() {
        return failures.get();
    }

    private boolean isDue(CachedPolicy cached, Instant now) {
        Instant byAge = cached.fetched().plus(settings.refreshInterval());
        Instant byExpiry = cached.expires().minus(settings.refreshAhead());
        return !now.isBefore(byAge) || !now.isBefore(byExpiry);
    }

    /**
     * RFC 8461 §3.1, §3.3, §10.2: fetches the policy again while its record exists. A record that DNS
     * says is gone ends the refreshes ({@link #withdrawn}). An unanswered one may be an attack on
     * discovery, so a policy whose mode is not {@code none} is fetched from its host anyway.
     */
    private CompletableFuture<Void> refresh(String name, PolicyEngine.DomainState state) {
        CachedPolicy cached = state.policy;
        if (cached == null) {
            return CompletableFuture.completedFuture(null);
        }
        return dns.txtUncached(StsDiscovery.recordName(name)).thenCompose(answer -> {
            StsDiscovery discovery = StsDiscovery.of(answer);
            // RFC 8461 §10.2: a policy is refreshed only while its _mta-sts record exists.
            if (discovery.outcome() == StsDiscovery.Outcome.NO_POLICY) {
                withdrawn(name, state, cached, discovery);
                return CompletableFuture.completedFuture(null);
            }
            if (discovery.outcome() == StsDiscovery.Outcome.TEMPORARY_FAILURE && cached.policy().mode() == Mode.NONE) {
                // Nothing to defend against an attack on discovery: a policy of mode none waits for an answer.
                return CompletableFuture.completedFuture(null);
            }
            String id = discovery.record().map(StsRecord::id).orElse(cached.id());
            return fetcher.fetch(name).thenAccept(result -> refreshed(name, state, cached, id, result));
        });
    }

    /**
     * RFC 8461 §3.1, §10.2: the domain has no available policy any more, so its cached policy is not
     * fetched again; it applies until its {@code max_age} runs out, when a later pass forgets it.
     * A policy of mode {@code none} protects nothing and is forgotten at once, without alert (§3.3).
     */
    private void withdrawn(String name, PolicyEngine.DomainState state, CachedPolicy cached, StsDiscovery discovery) {
        if (cached.policy().mode() == Mode.NONE) {
            engine.forget(name, state, cached);
            LOG.info("{} withdrew its MTA-STS policy (mode none, {}): forgotten", name, discovery);
            return;
        }
        failures.incrementAndGet();
        LOG.warn("The MTA-STS record of {} is gone ({}): its cached {} policy is not fetched again and applies until {}",
            name, discovery, cached.policy().mode().keyword(), cached.expires());
    }

    private void refreshed(String name, PolicyEngine.DomainState state, CachedPolicy cached, String id, FetchResult result) {
        Instant now = clock.instant();
        Optional<Policy> policy = result.policy();
        if (policy.isPresent()) {
            engine.keep(state, new CachedPolicy(name, id, policy.get(), now));
            LOG.debug("Refreshed the MTA-STS policy of {} (id {})", name, id);
            return;
        }
        Failure failure = result.failure().orElseThrow();
        engine.hold(state, id, failure, now);
        if (cached.policy().mode() == Mode.NONE) {
            LOG.debug("Refreshing the MTA-STS policy of {} (mode none) failed: {}", name, failure);
        } else {
            failures.incrementAndGet();
            LOG.warn("Refreshing the MTA-STS policy of {} failed: {}. The cached {} policy applies until {}", name,
                failure, cached.policy().mode().keyword(), cached.expires());
        }
    }

    /** Runs the work after a random delay within the refresh spread, so that due refreshes do not all start together. */
    private CompletableFuture<Void> later(Supplier<CompletableFuture<Void>> work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long delay = ThreadLocalRandom.current().nextLong(settings.refreshSpread().toMillis());
        try {
            background.schedule(() -> work.get().whenComplete((result, error) -> {
                if (error != null) {
                    LOG.warn("MTA-STS policy refresh failed", error);
                }
                done.complete(null);
            }), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            done.complete(null);
        }
        return done;
    }
}

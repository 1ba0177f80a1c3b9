package io.github.jamesmtasts.policy;

import io.github.jamesmtasts.dns.HostNames;
import io.github.jamesmtasts.mtasts.Policy;
import io.github.jamesmtasts.mtasts.StsDiscovery;
import io.github.jamesmtasts.dns.DnsAnswer;
import io.github.jamesmtasts.dns.DnsClient;
import io.github.jamesmtasts.result.Failure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * The MTA-STS policy engine (RFC 8461 §3, §5.1): discovers, fetches, caches and refreshes policies.
 *
 * <ul>
 *   <li>Each use checks the {@code _mta-sts} TXT {@code id} through {@link DnsClient} (dnsjava's TTL
 *       cache); the decision is then reused until the TXT answer's TTL runs out, so a use on a cached
 *       policy asks nothing. A new {@code id} triggers a fetch; the cached policy keeps applying while
 *       it is unexpired if the record is gone, DNS fails or the fetch fails (§3.3). A policy past its
 *       {@code max_age} is never used.</li>
 *   <li>Concurrent uses for one domain share one TXT lookup and one fetch.</li>
 *   <li>After a failed fetch for an {@code id}, that {@code id} is not fetched again for
 *       {@link PolicySettings#failedFetchBackoff()} (§3.3).</li>
 *   <li>"No policy" is remembered for {@link PolicySettings#noPolicyCacheTtl()}.</li>
 *   <li>Policies are stored in a {@link PolicyStore} and loaded again at start (§10.2).</li>
 *   <li>A {@link PolicyRefresher} fetches cached policies again in the background, before they expire
 *       and while their {@code _mta-sts} record exists (§3.3, §10.2), and counts the refreshes that fail
 *       ({@link #refreshFailures()}).</li>
 * </ul>
 *
 * Futures never fail: every problem is inside the {@link PolicyLookup}. Thread-safe.
 */
public final class PolicyEngine implements PolicyResolver, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyEngine.class);
    /** The last use of a domain is recorded at this precision, so that busy domains do not write it on every use. */
    private static final long USE_PRECISION_MILLIS = 1000;
    private static final long STORE_SHUTDOWN_SECONDS = 10;
    /** The failure reason code of a use that found the policy's {@code id} backing off after a failed fetch. */
    public static final String BACK_OFF_REASON = "back-off-after-recent-fetch-error";

    private final DnsClient dns;
    private final PolicyFetcher fetcher;
    private final PolicyStore store;
    private final PolicySettings settings;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor background;
    private final ConcurrentMap<String, DomainState> domains = new ConcurrentHashMap<>();
    private final SingleFlight<String, PolicyLookup> resolving = new SingleFlight<>();
    private final SingleFlight<String, PolicyLookup> rechecking = new SingleFlight<>();
    private final PolicyRefresher refresher;

    private PolicyEngine(DnsClient dns, PolicyFetcher fetcher, PolicyStore store, PolicySettings settings) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = settings.clock();
        this.background = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "mta-sts-policy-engine");
            thread.setDaemon(true);
            return thread;
        });
        background.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        background.setRemoveOnCancelPolicy(true);
        this.refresher = new PolicyRefresher(this, dns, fetcher, settings, background);
    }

    /** An engine with the policies of {@code store} loaded, refreshing in the background until {@link #close()}. */
    public static PolicyEngine start(DnsClient dns, PolicyFetcher fetcher, PolicyStore store, PolicySettings settings) {
        PolicyEngine engine = new PolicyEngine(dns, fetcher, store, settings);
        engine.load();
        engine.refresher.start();
        return engine;
    }

    @Override
    public CompletableFuture<PolicyLookup> resolve(String domain) {
        Optional<String> policyDomain = policyDomain(domain);
        if (policyDomain.isEmpty()) {
            return CompletableFuture.completedFuture(PolicyLookup.none(domain));
        }
        String name = policyDomain.get();
        DomainState state = stateOf(name);
        long now = clock.millis();
        state.used(now);
        Decision decision = state.decision;
        if (decision != null && now < decision.validUntil) {
            return decision.lookup;
        }
        return resolving.run(name, () -> dns.txt(StsDiscovery.recordName(name)).thenCompose(answer -> decide(name, state, answer)));
    }

    /** The unexpired cached policies, by domain in alphabetical order: what an admin inspects. */
    public List<CachedPolicy> cachedPolicies() {
        Instant now = clock.instant();
        List<CachedPolicy> cached = new ArrayList<>();
        domains.values().forEach(state -> Optional.ofNullable(state.validPolicy(now)).ifPresent(cached::add));
        cached.sort(Comparator.comparing(CachedPolicy::domain));
        return cached;
    }

    /** The unexpired cached policy of a domain (any case, with or without a trailing dot), if any. */
    public Optional<CachedPolicy> cachedPolicy(String domain) {
        return policyDomain(domain).map(domains::get).map(state -> state.validPolicy(clock.instant()));
    }

    /**
     * Forgets what the engine holds for a domain, its cached policy (in memory and in the store), its last
     * decision and any fetch back-off, so that the next delivery looks the policy up and fetches it anew.
     *
     * @return whether a policy was cached
     */
    public boolean evict(String domain) {
        Optional<String> name = policyDomain(domain);
        DomainState state = name.map(domains::remove).orElse(null);
        if (state == null) {
            return false;
        }
        boolean cached = state.policy != null;
        onBackground(() -> store.remove(name.get()));
        LOG.info("MTA-STS policy cache of {} evicted", name.get());
        return cached;
    }

    /** RFC 8461 §5.1: asks DNS for the TXT record again, past every cache, and fetches a policy with a new {@code id}. */
    @Override
    public CompletableFuture<PolicyLookup> recheck(String domain) {
        Optional<String> policyDomain = policyDomain(domain);
        if (policyDomain.isEmpty()) {
            return CompletableFuture.completedFuture(PolicyLookup.none(domain));
        }
        String name = policyDomain.get();
        DomainState state = stateOf(name);
        state.used(clock.millis());
        return rechecking.run(name, () -> dns.txtUncached(StsDiscovery.recordName(name)).thenCompose(answer -> decide(name, state, answer)));
    }

    /**
     * Starts the refresh of every policy due for one, each after a random delay within
     * {@link PolicySettings#refreshSpread()}, and forgets expired policies and unused domains: the
     * {@link PolicyRefresher}'s pass, which it runs every {@link PolicySettings#refreshCheckInterval()}.
     * The future completes when the refreshes started by this call have ended, with their number.
     */
    /**
     * A policy another James server of the cluster stored: it takes the place of this server's own when it was fetched
     * later (RFC 8461 gives ids no order; of two policies of a domain the later fetch is the newer), so that no server
     * goes on applying a policy older than one another has stored once it has read it. An expired one changes nothing.
     *
     * @return whether it was taken
     */
    public boolean adopt(CachedPolicy other) {
        Instant now = clock.instant();
        if (!other.isValidAt(now)) {
            return false;
        }
        DomainState state = stateOf(other.domain());
        synchronized (state) {
            CachedPolicy mine = state.policy;
            if (mine != null && !other.fetched().isAfter(mine.fetched())) {
                return false;
            }
            keep(state, other);
        }
        LOG.info("Took the MTA-STS policy of {} (id {}) that another node fetched at {}", other.domain(), other.id(), other.fetched());
        return true;
    }

    public CompletableFuture<Integer> refreshDue() {
        return refresher.refreshDue();
    }

    /**
     * How many background refreshes of a policy whose mode is not {@code none} have failed, or found
     * its record gone, since start.
     */
    public long refreshFailures() {
        return refresher.failures();
    }

    /** Stops the background refresh and finishes the store writes under way. */
    @Override
    public void close() {
        background.shutdown();
        try {
            if (!background.awaitTermination(STORE_SHUTDOWN_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("MTA-STS policy store writes did not finish within {} seconds", STORE_SHUTDOWN_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void load() {
        Instant now = clock.instant();
        int loaded = 0;
        for (CachedPolicy stored : store.loadAll()) {
            if (stored.isValidAt(now)) {
                DomainState state = new DomainState(now.toEpochMilli());
                state.policy = stored;
                domains.put(stored.domain(), state);
                loaded++;
            } else {
                store.remove(stored.domain());
            }
        }
        LOG.info("Loaded {} unexpired MTA-STS policies from the store", loaded);
    }

    /**
     * The {@link PolicyRefresher}'s pass over the cache: forgets expired policies and the domains without
     * a policy that had no mail since {@code usedSince}, and hands each domain that had to {@code used}.
     */
    void sweep(Instant now, Instant usedSince, BiConsumer<String, DomainState> used) {
        long usedSinceMillis = usedSince.toEpochMilli();
        domains.forEach((name, state) -> {
            CachedPolicy cached = state.policy;
            if (cached != null && !cached.isValidAt(now)) {
                forget(name, state, cached);
                LOG.debug("The MTA-STS policy of {} expired at {}", name, cached.expires());
            }
            if (state.lastUsed < usedSinceMillis) {
                if (state.policy == null) {
                    domains.remove(name, state);
                }
            } else {
                used.accept(name, state);
            }
        });
    }

    /** RFC 8461 §3.1, §5.1: what the TXT answer means for the domain, fetching when the {@code id} is new. */
    private CompletableFuture<PolicyLookup> decide(String name, DomainState state, DnsAnswer<String> answer) {
        StsDiscovery discovery = StsDiscovery.of(answer);
        Instant now = clock.instant();
        CachedPolicy cached = state.validPolicy(now);
        return discovery.outcome() == StsDiscovery.Outcome.RECORD
            ? decideOnRecord(name, state, discovery.record().orElseThrow().id(), now.plus(answer.ttl()), cached, now)
            : CompletableFuture.completedFuture(decideWithoutRecord(name, state, discovery, cached, now));
    }

    /** RFC 8461 §3.1, §3.3: without a usable record, an unexpired cached policy applies, else none. */
    private PolicyLookup decideWithoutRecord(String name, DomainState state, StsDiscovery discovery, CachedPolicy cached, Instant now) {
        if (discovery.outcome() == StsDiscovery.Outcome.TEMPORARY_FAILURE) {
            LOG.debug("No DNS answer for the MTA-STS record of {}: {}", name, discovery.detail());
            return cached != null ? cached.lookup(null) : PolicyLookup.temporaryFailure(name, discovery.detail());
        }
        if (cached == null) {
            LOG.debug("{} has no MTA-STS policy: {}", name, discovery);
            return remember(state, PolicyLookup.none(name), now.plus(settings.noPolicyCacheTtl()), now);
        }
        // RFC 8461 §3.1: the absence of a usable record does not remove a cached policy.
        LOG.warn("The MTA-STS record of {} is not usable ({}); its cached policy applies until {}", name, discovery, cached.expires());
        return remember(state, cached.lookup(null), earliest(now.plus(settings.noPolicyCacheTtl()), cached.expires()), now);
    }

    /** RFC 8461 §3.3, §5.1: the cached policy under the same {@code id}; a fetch for a new one, unless backing off. */
    private CompletableFuture<PolicyLookup> decideOnRecord(String name, DomainState state, String id, Instant recordValid,
                                                           CachedPolicy cached, Instant now) {
        if (cached != null && cached.id().equals(id)) {
            return CompletableFuture.completedFuture(remember(state, cached.lookup(null), earliest(recordValid, cached.expires()), now));
        }
        FetchHold hold = state.hold;
        if (hold != null && hold.holds(id, now)) {
            return CompletableFuture.completedFuture(
                remember(state, hold.backedOffLookup(name, cached), hold.validUntil(recordValid, cached), now));
        }
        return fetcher.fetch(name).thenApply(result -> fetched(name, state, id, cached, result, recordValid));
    }

    private PolicyLookup fetched(String name, DomainState state, String id, CachedPolicy cached, FetchResult result,
                                 Instant recordValid) {
        Instant now = clock.instant();
        Optional<Policy> policy = result.policy();
        if (policy.isPresent()) {
            CachedPolicy fresh = keep(state, new CachedPolicy(name, id, policy.get(), now));
            LOG.info("Fetched the MTA-STS policy of {} (id {}): {}", name, id, fresh.policy());
            return remember(state, fresh.lookup(null), earliest(recordValid, fresh.expires()), now);
        }
        FetchHold hold = hold(state, id, result.failure().orElseThrow(), now);
        LOG.warn("Cannot get the MTA-STS policy of {} (id {}): {}. {} until {}", name, id, hold.failure,
            cached == null ? "Delivering as without a policy" : "The cached policy applies", hold.until);
        return remember(state, hold.lookup(name, cached), hold.validUntil(recordValid, cached), now);
    }

    /** Caches a freshly fetched policy, in memory and in the store, ending any hold and the last decision. */
    CachedPolicy keep(DomainState state, CachedPolicy fresh) {
        synchronized (state) {
            state.policy = fresh;
            state.hold = null;
            state.decision = null;
        }
        onBackground(() -> store.save(fresh));
        return fresh;
    }

    /** Forgets the domain's cached policy {@code gone}, in memory and in the store, unless another has replaced it. */
    void forget(String name, DomainState state, CachedPolicy gone) {
        synchronized (state) {
            if (state.policy != gone) {
                return;
            }
            state.policy = null;
            state.decision = null;
        }
        onBackground(() -> store.remove(name));
    }

    /** RFC 8461 §3.3: holds the fetches for {@code id} back after its fetch failed. */
    FetchHold hold(DomainState state, String id, Failure failure, Instant now) {
        FetchHold hold = new FetchHold(id, now.plus(settings.failedFetchBackoff()), failure);
        state.hold = hold;
        return hold;
    }

    private void onBackground(Runnable task) {
        try {
            background.execute(task);
        } catch (RejectedExecutionException closed) {
            task.run();
        }
    }

    /** Keeps a lookup for reuse until a time (when still ahead) and returns it. */
    private static PolicyLookup remember(DomainState state, PolicyLookup lookup, Instant until, Instant now) {
        if (until.isAfter(now)) {
            state.decision = new Decision(CompletableFuture.completedFuture(lookup), until.toEpochMilli());
        }
        return lookup;
    }

    private DomainState stateOf(String name) {
        DomainState state = domains.get(name);
        return state != null ? state : domains.computeIfAbsent(name, absent -> new DomainState(clock.millis()));
    }

    /** RFC 8461 §3.4: the policy domain is the recipient domain, as an A-label without a trailing dot. */
    private static Optional<String> policyDomain(String domain) {
        if (isNormalAscii(domain)) {
            return Optional.of(domain);
        }
        try {
            return Optional.of(HostNames.toAscii(domain)).filter(name -> !name.isEmpty());
        } catch (IllegalArgumentException notADomain) {
            return Optional.empty();
        }
    }

    /** Already lower-case letters, digits, hyphens and inner dots: the common case, spared the IDNA conversion. */
    private static boolean isNormalAscii(String domain) {
        int length = domain.length();
        if (length == 0 || domain.charAt(0) == '.' || domain.charAt(length - 1) == '.') {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = domain.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-' && c != '.') {
                return false;
            }
        }
        return !domain.contains("..");
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** What the engine holds for one domain; {@code refreshing} while the {@link PolicyRefresher} refreshes it. */
    static final class DomainState {
        volatile CachedPolicy policy;
        volatile FetchHold hold;
        volatile Decision decision;
        volatile long lastUsed;
        final AtomicBoolean refreshing = new AtomicBoolean();

        DomainState(long now) {
            this.lastUsed = now;
        }

        void used(long now) {
            if (now - lastUsed >= USE_PRECISION_MILLIS) {
                lastUsed = now;
            }
        }

        /** RFC 8461 §5.1: the cached policy, unless past its max_age. */
        CachedPolicy validPolicy(Instant now) {
            CachedPolicy cached = policy;
            return cached != null && cached.isValidAt(now) ? cached : null;
        }
    }

    /** A lookup that stands until a time: reused without asking anything. */
    private static final class Decision {
        final CompletableFuture<PolicyLookup> lookup;
        final long validUntil;

        Decision(CompletableFuture<PolicyLookup> lookup, long validUntil) {
            this.lookup = lookup;
            this.validUntil = validUntil;
        }
    }

    /** RFC 8461 §3.3: a failed fetch for an {@code id}, not to be tried again before {@code until}. */
    private static final class FetchHold {
        final String id;
        final Instant until;
        final Failure failure;

        FetchHold(String id, Instant until, Failure failure) {
            this.id = id;
            this.until = until;
            this.failure = failure;
        }

        boolean holds(String forId, Instant now) {
            return id.equals(forId) && now.isBefore(until);
        }

        /** The cached policy if any, else no policy; with the failure that started the back-off. */
        PolicyLookup lookup(String name, CachedPolicy cached) {
            return cached != null ? cached.lookup(failure) : PolicyLookup.failed(name, failure);
        }

        /** As {@link #lookup}, for a use during the back-off: the failure says no fetch was tried. */
        PolicyLookup backedOffLookup(String name, CachedPolicy cached) {
            Failure backedOff = Failure.of(failure.type(), "not fetched again before " + until + " after: " + failure.detail(),
                BACK_OFF_REASON);
            return cached != null ? cached.lookup(backedOff) : PolicyLookup.failed(name, backedOff);
        }

        Instant validUntil(Instant recordValid, CachedPolicy cached) {
            Instant until = earliest(recordValid, this.until);
            return cached == null ? until : earliest(until, cached.expires());
        }
    }
}

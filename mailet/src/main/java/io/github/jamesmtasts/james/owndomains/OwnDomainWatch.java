package io.github.jamesmtasts.james.owndomains;

import io.github.jamesmtasts.check.ExpectedPolicy;
import io.github.jamesmtasts.mtasts.PolicyParser;
import io.github.jamesmtasts.publishing.PublishedPolicy;
import io.github.jamesmtasts.watch.Alert;
import io.github.jamesmtasts.watch.DomainState;
import io.github.jamesmtasts.watch.WatchRun;
import io.github.jamesmtasts.watch.WatchStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The watch of James's own domains (issue 17 §3): every {@code watch.interval}, and on demand through WebAdmin, each
 * James domain is checked as a sender sees it (core's {@code DomainCheck}, the code of {@code mta-sts check}), against
 * the policy James serves for it when it serves one, with what the TLS-RPT reports received about it say
 * ({@link ReportFindings}); a finding that turns bad, or a certificate that crosses the next
 * of 30, 14 and 7 days, is mailed once ({@link Alert}), and the last state is kept for WebAdmin.
 */
public final class OwnDomainWatch implements AutoCloseable {
    /** A first round soon after the start, so that a restart after a change shows its effect the same day. */
    static final Duration FIRST_ROUND = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(OwnDomainWatch.class);

    private final WatchRun run;
    private final WatchStore store;
    private final ServedPolicies policies;
    private final OwnDomainSettings settings;
    private final Consumer<Alert> alerts;
    private final ReportFindings reports;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mta-sts-watch");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param reports what the received TLS-RPT reports add to the check
     * @param alerts  where each alert goes: a mail to the postmaster or {@code watch.alertsTo}
     */
    public OwnDomainWatch(WatchRun run, WatchStore store, ServedPolicies policies, OwnDomainSettings settings, ReportFindings reports,
                          Consumer<Alert> alerts) {
        this.run = run;
        this.store = store;
        this.policies = policies;
        this.settings = settings;
        this.alerts = alerts;
        this.reports = reports;
    }

    /** Schedules the rounds, when {@code watch.enabled}. */
    public void start() {
        if (!settings.watch()) {
            return;
        }
        Duration first = settings.watchInterval().compareTo(FIRST_ROUND) < 0 ? settings.watchInterval() : FIRST_ROUND;
        scheduler.scheduleWithFixedDelay(this::checkAll, first.toMillis(), settings.watchInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Checks every James domain that can have a policy (a name with a dot: {@code localhost}, the memory server's
     * default, has no {@code mta-sts.} host anybody could reach); a domain whose check fails is logged and the round
     * goes on.
     */
    public List<Alert> checkAll() {
        List<Alert> sent = new ArrayList<>();
        for (String domain : policies.domains()) {
            if (domain.indexOf('.') < 0) {
                continue;
            }
            try {
                sent.addAll(check(domain));
            } catch (RuntimeException e) {
                LOG.warn("The watch could not check {}", domain, e);
            }
        }
        return sent;
    }

    /** Checks one domain now and sends its alerts; one check at a time, as the store expects. */
    public synchronized List<Alert> check(String domain) {
        List<Alert> found = run.run(domain, expected(domain), previous -> reports.findings(domain, settings.mode(domain), previous));
        for (Alert alert : found) {
            LOG.warn("MTA-STS watch of {}: {}", domain, alert.subject());
            alerts.accept(alert);
        }
        return found;
    }

    /** The last check of {@code domain}, if any. */
    public Optional<DomainState> state(String domain) {
        return store.load(domain);
    }

    /** The policy James serves for the domain, when it serves one: DNS and the policy host must agree with it. */
    private Optional<ExpectedPolicy> expected(String domain) {
        if (!settings.serve()) {
            return Optional.empty();
        }
        return policies.forDomain(domain).map(OwnDomainWatch::expected);
    }

    private static ExpectedPolicy expected(PublishedPolicy policy) {
        return ExpectedPolicy.of(policy.id(), PolicyParser.parse(policy.text()).value()
            .orElseThrow(() -> new IllegalStateException("the served policy of " + policy.domain() + " does not parse")));
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}

package io.github.jamesmtasts.policy;

import io.github.jamesmtasts.testkit.PolicyHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which cached policies the {@link PolicyRefresher} picks for a refresh, and that it runs by itself: a real
 * {@link PolicyEngine} in a {@link PolicyWorld}. What a refresh does with the answer it gets is played in
 * {@link PolicyEngineBehaviourTest} (cache-009, cache-013, cache-015, own-cache-001 to own-cache-003).
 */
class PolicyRefresherTest {
    private static final String DOMAIN = "refresher.example";

    @TempDir
    Path dir;

    private PolicyWorld world;
    private PolicyHost host;

    @BeforeEach
    void start() {
        world = new PolicyWorld(dir);
        host = world.host(DOMAIN);
        world.publish(DOMAIN, "1");
    }

    @AfterEach
    void stop() throws Exception {
        world.close();
    }

    @Test
    void refreshesAPolicyOnceItIsRefreshIntervalOld() {
        PolicyEngine engine = engineWithPolicy(Duration.ofDays(2), settings().refreshInterval(Duration.ofDays(1)));

        world.clock.advance(Duration.ofDays(1).minusSeconds(1));
        assertThat(engine.refreshDue().join()).isZero();
        assertThat(host.requests()).hasSize(1);

        world.clock.advance(Duration.ofSeconds(1));
        assertThat(engine.refreshDue().join()).isEqualTo(1);
        assertThat(host.requests()).hasSize(2);
    }

    @Test
    void refreshesAPolicyOnceItIsRefreshAheadOfExpiry() {
        PolicyEngine engine = engineWithPolicy(Duration.ofHours(3), settings().refreshAhead(Duration.ofHours(1)));

        world.clock.advance(Duration.ofHours(2).minusSeconds(1));
        assertThat(engine.refreshDue().join()).isZero();

        world.clock.advance(Duration.ofSeconds(1));
        assertThat(engine.refreshDue().join()).isEqualTo(1);
        assertThat(host.requests()).hasSize(2);
    }

    @Test
    void refreshesOnlyThePoliciesOfDomainsInUse() {
        PolicyEngine engine = engineWithPolicy(Duration.ofDays(2), settings().refreshIfUsedWithin(Duration.ofHours(12)));
        world.clock.advance(Duration.ofDays(1));

        assertThat(engine.refreshDue().join()).isZero();
        assertThat(host.requests()).hasSize(1);
        assertThat(engine.cachedPolicy(DOMAIN)).isPresent();

        engine.resolve(DOMAIN).join();
        assertThat(engine.refreshDue().join()).isEqualTo(1);
        assertThat(host.requests()).hasSize(2);
    }

    @Test
    void checksForPoliciesDueEveryRefreshCheckInterval() throws InterruptedException {
        engineWithPolicy(Duration.ofDays(2), settings().refreshCheckInterval(Duration.ofMillis(100)));
        world.clock.advance(Duration.ofDays(1));

        Instant deadline = Instant.now().plusSeconds(10);
        while (host.requests().size() < 2 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }

        assertThat(host.requests()).hasSizeGreaterThanOrEqualTo(2);
    }

    /** Test settings; the tests that call {@code refreshDue()} themselves keep the periodic pass an hour away. */
    private PolicySettings.Builder settings() {
        return world.settings().storeDirectory(dir.resolve("store")).refreshSpread(Duration.ofMillis(50))
            .refreshCheckInterval(Duration.ofHours(1));
    }

    /** An engine whose cache holds the domain's policy, fetched now with this {@code max_age}. */
    private PolicyEngine engineWithPolicy(Duration maxAge, PolicySettings.Builder settings) {
        host.respond(PolicyWorld.POLICY_PATH, PolicyHost.policy(PolicyWorld.policy("enforce", maxAge.toSeconds(), "mx.example.org")));
        PolicySettings built = settings.build();
        PolicyEngine engine = world.engine(built, new FilePolicyStore(built.storeDirectory()));
        assertThat(engine.resolve(DOMAIN).join().policy()).isPresent();
        return engine;
    }
}

package io.github.jamesmtasts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.jamesmtasts.testkit.PolicyHost;

import io.github.jamesmtasts.state.ClusterState;
import io.github.jamesmtasts.state.FileClusterState;
import io.github.jamesmtasts.state.SharedPolicies;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two James servers' policy engines in one world: a policy one of them fetched, taken by the other
 * ({@link PolicyEngine#adopt}), replaces the other's own only when it was fetched later.
 */
class PolicyAdoptionTest {
    private static final String DOMAIN = "adopt.test";

    @TempDir
    Path directory;

    private PolicyWorld world;

    @AfterEach
    void stop() throws Exception {
        world.close();
    }

    private PolicyEngine engine(String node) {
        PolicySettings settings = world.settings().storeDirectory(directory.resolve(node)).build();
        return world.engine(settings, new FilePolicyStore(settings.storeDirectory()));
    }

    private static String mx(PolicyLookup lookup) {
        return lookup.policy().orElseThrow().mx().get(0).toString();
    }

    @Test
    void aServerWhoseFetchFailsTakesTheNewerPolicyAnotherFetchedAndNotAnOlderOne() {
        world = new PolicyWorld(directory);
        PolicyHost host = world.host(DOMAIN);
        PolicyEngine a = engine("a");
        PolicyEngine b = engine("b");
        host.respond(PolicyWorld.POLICY_PATH, PolicyHost.policy(PolicyWorld.policy("enforce", 86400, "mx1.adopt.test")));
        world.publish(DOMAIN, "1");
        b.resolve(DOMAIN).join();
        CachedPolicy older = b.cachedPolicy(DOMAIN).orElseThrow();

        world.clock.advance(Duration.ofMinutes(5));
        host.respond(PolicyWorld.POLICY_PATH, PolicyHost.policy(PolicyWorld.policy("enforce", 86400, "mx2.adopt.test")));
        world.publish(DOMAIN, "2");
        assertThat(mx(a.resolve(DOMAIN).join())).isEqualTo("mx2.adopt.test");
        host.respond(PolicyWorld.POLICY_PATH, PolicyHost.Response.status(404));

        // Without A's policy, B's own fetch of id 2 fails and its older policy applies.
        PolicyLookup alone = b.resolve(DOMAIN).join();
        assertThat(alone.id()).contains("1");
        assertThat(alone.failure()).isPresent();

        assertThat(b.adopt(a.cachedPolicy(DOMAIN).orElseThrow())).isTrue();
        PolicyLookup adopted = b.resolve(DOMAIN).join();
        assertThat(adopted.id()).contains("2");
        assertThat(mx(adopted)).isEqualTo("mx2.adopt.test");
        assertThat(adopted.failure()).isEmpty();

        assertThat(b.adopt(older)).isFalse();
        assertThat(a.adopt(older)).isFalse();
        assertThat(b.cachedPolicy(DOMAIN).orElseThrow().id()).isEqualTo("2");
    }

    @Test
    void anExpiredPolicyIsNotTaken() {
        world = new PolicyWorld(directory);
        PolicyHost host = world.host(DOMAIN);
        PolicyEngine a = engine("a");
        PolicyEngine b = engine("b");
        host.respond(PolicyWorld.POLICY_PATH, PolicyHost.policy(PolicyWorld.policy("enforce", 60, "mx1.adopt.test")));
        world.publish(DOMAIN, "1");
        a.resolve(DOMAIN).join();
        CachedPolicy fetched = a.cachedPolicy(DOMAIN).orElseThrow();

        world.clock.advance(Duration.ofMinutes(2));

        assertThat(b.adopt(fetched)).isFalse();
        assertThat(b.cachedPolicy(DOMAIN)).isEmpty();
    }

    @Test
    void throughTheClusterStateTheOtherServerTakesThePolicyWithinTheRefreshInterval() throws Exception {
        world = new PolicyWorld(directory);
        PolicyHost host = world.host(DOMAIN);
        // Two nodes: two states on the same storage, as two James servers on one Cassandra.
        ClusterState stateOfA = new FileClusterState(directory.resolve("shared"), world.clock);
        ClusterState stateOfB = new FileClusterState(directory.resolve("shared"), world.clock);
        PolicySettings settingsOfA = world.settings().storeDirectory(directory.resolve("a")).build();
        PolicyEngine a = world.engine(settingsOfA, SharedPolicies.offering(new FilePolicyStore(settingsOfA.storeDirectory()), stateOfA));
        PolicyEngine b = engine("b");
        host.respond(PolicyWorld.POLICY_PATH, PolicyHost.policy(PolicyWorld.policy("enforce", 86400, "mx1.adopt.test")));
        world.publish(DOMAIN, "1");

        a.resolve(DOMAIN).join();
        try (SharedPolicies shared = SharedPolicies.start(stateOfB, b, Duration.ofMillis(50))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (b.cachedPolicy(DOMAIN).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }

        assertThat(b.cachedPolicy(DOMAIN)).isEqualTo(a.cachedPolicy(DOMAIN));
        assertThat(host.requests()).hasSize(1);
    }
}

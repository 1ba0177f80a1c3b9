package io.github.jamesmtasts.it;

import io.github.jamesmtasts.testkit.PolicyHost;
import io.github.jamesmtasts.testkit.PostfixServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.github.jamesmtasts.it.World.Certificate.NO_STARTTLS;
import static io.github.jamesmtasts.it.World.Certificate.SELF_SIGNED;
import static io.github.jamesmtasts.it.World.Certificate.VALID;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A James 3.8.1 server with the extension in its default {@code enforce} switch, delivering to MX hosts on
 * loopback under every kind of policy (RFC 8461 §5).
 */
class EnforceModeIT {
    @TempDir
    static Path directory;
    private static Stage stage;

    @BeforeAll
    static void start() {
        stage = Stage.start("enforce", directory, "enforce");
    }

    @AfterAll
    static void stop() throws Exception {
        if (stage != null) {
            stage.close();
        }
    }

    private static String send(String... recipients) throws Exception {
        return stage.submission.send(stage.sender, recipients);
    }

    @Test
    void anEnforcePolicyWithAGoodMxDeliversOverVerifiedTls() throws Exception {
        String domain = stage.world.domain("good");
        stage.world.publishPolicy(domain, "1", "enforce", "mx." + domain);
        PostfixServer mx = stage.world.mx(domain, 10, "mx." + domain, VALID, "bob");

        String id = send("bob@" + domain);

        String message = World.await(mx, "bob", 1).get(0);
        assertThat(message).contains(id).contains("using TLS");
        stage.awaitAttempt(domain, "enforce (policy enforce)");
    }

    @ParameterizedTest
    @CsvSource({
        "EXPIRED, certificate-expired",
        "WRONG_NAME, certificate-host-mismatch",
        "SELF_SIGNED, certificate-not-trusted",
        "NO_STARTTLS, starttls-not-supported"})
    void eachTlsFailureWithholdsTheMailUntilTheMxIsFixed(World.Certificate fault, String resultType) throws Exception {
        String domain = stage.world.domain("fault");
        String host = "mx." + domain;
        stage.world.publishPolicy(domain, "1", "enforce", host);
        PostfixServer mx = stage.world.mx(domain, 10, host, fault, "bob");

        String id = send("bob@" + domain);

        stage.awaitAttempt(domain, resultType);
        assertThat(World.received(mx, "bob")).isEmpty();
        PostfixServer fixed = stage.world.replace(mx, domain, host, VALID, "bob");
        String message = World.await(fixed, "bob", 1).get(0);
        assertThat(message).contains(id).contains("using TLS");
    }

    @Test
    void aListedMxThatFailsIsFollowedByTheNextListedOne() throws Exception {
        String domain = stage.world.domain("next");
        stage.world.publishPolicy(domain, "1", "enforce", "*." + domain);
        stage.world.deadMx(domain, 10, "mx1." + domain);
        PostfixServer second = stage.world.mx(domain, 20, "mx2." + domain, VALID, "bob");

        String id = send("bob@" + domain);

        assertThat(World.await(second, "bob", 1).get(0)).contains(id);
    }

    @Test
    void anMxThePolicyDoesNotListIsSkipped() throws Exception {
        String domain = stage.world.domain("unlisted");
        stage.world.publishPolicy(domain, "1", "enforce", "good." + domain);
        PostfixServer rogue = stage.world.mx(domain, 10, "rogue." + domain, VALID, "bob");
        PostfixServer good = stage.world.mx(domain, 20, "good." + domain, VALID, "bob");

        String id = send("bob@" + domain);

        assertThat(World.await(good, "bob", 1).get(0)).contains(id);
        assertThat(World.received(rogue, "bob")).isEmpty();
        stage.awaitAttempt(domain, "mx-not-in-policy");
    }

    @Test
    void aTestingPolicyDeliversDespiteAnUntrustedCertificate() throws Exception {
        String domain = stage.world.domain("testing");
        stage.world.publishPolicy(domain, "1", "testing", "mx." + domain);
        PostfixServer mx = stage.world.mx(domain, 10, "mx." + domain, SELF_SIGNED, "bob");

        String id = send("bob@" + domain);

        assertThat(World.await(mx, "bob", 1).get(0)).contains(id);
        stage.awaitAttempt(domain, "certificate-not-trusted");
    }

    @Test
    void aNonePolicyAndNoPolicyDeliverOpportunistically() throws Exception {
        String withdrawn = stage.world.domain("none");
        stage.world.publishPolicy(withdrawn, "1", "none", "other.example");
        PostfixServer plain = stage.world.mx(withdrawn, 10, "mx." + withdrawn, NO_STARTTLS, "bob");
        String without = stage.world.domain("nopolicy");
        PostfixServer untrusted = stage.world.mx(without, 10, "mx." + without, SELF_SIGNED, "bob");

        String id = send("bob@" + withdrawn, "bob@" + without);

        assertThat(World.await(plain, "bob", 1).get(0)).contains(id);
        assertThat(World.await(untrusted, "bob", 1).get(0)).contains(id).contains("using TLS");
    }

    @Test
    void eachRecipientGetsItsOwnFateAndNoneIsSentTwice() throws Exception {
        String domain = stage.world.domain("partial");
        String host = "mx." + domain;
        stage.world.publishPolicy(domain, "1", "enforce", host);
        String busyRule = "smtpd_recipient_restrictions = check_recipient_access inline:{ {busy@" + domain
            + "=450 4.2.1 mailbox busy} }, permit_mynetworks, reject_unauth_destination";
        PostfixServer mx = stage.world.mx(domain, 10, host, VALID, List.of(busyRule), "good", "busy");

        String id = send("good@" + domain, "unknown@" + domain, "busy@" + domain);

        assertThat(World.await(mx, "good", 1).get(0)).contains(id);
        String bounce = stage.bounceFor("unknown@" + domain);
        assertThat(bounce).contains("Final-Recipient: rfc822; unknown@" + domain).contains("5.1.1")
            .doesNotContain("Final-Recipient: rfc822; good@" + domain).doesNotContain("Final-Recipient: rfc822; busy@" + domain);
        stage.awaitAttempt(domain, "mailbox busy");
        assertThat(World.received(mx, "busy")).isEmpty();
        PostfixServer fixed = stage.world.replace(mx, domain, host, VALID, "good", "busy");
        assertThat(World.await(fixed, "busy", 1).get(0)).contains(id);
        assertThat(World.received(fixed, "good")).isEmpty();
    }

    @Test
    void retriesThatNeverSucceedEndInABounceNamingTheMtaStsFailure() throws Exception {
        String domain = stage.world.domain("bounce");
        stage.world.publishPolicy(domain, "1", "enforce", "mx." + domain);
        PostfixServer mx = stage.world.mx(domain, 10, "mx." + domain, SELF_SIGNED, "bob");

        send("bob@" + domain);

        String bounce = stage.bounceFor("bob@" + domain);
        assertThat(bounce).contains("MTA-STS certificate-not-trusted").contains("5.7.5");
        assertThat(World.received(mx, "bob")).isEmpty();
    }

    @Test
    void tlsRequiredNoDeliversAsIfThereWereNoPolicyAndKeepsTheHeader() throws Exception {
        String domain = stage.world.domain("waived");
        stage.world.publishPolicy(domain, "1", "enforce", "mx." + domain);
        PostfixServer mx = stage.world.mx(domain, 10, "mx." + domain, SELF_SIGNED, "bob");

        String id = stage.submission.send(stage.sender, Map.of("TLS-Required", "No"), "bob@" + domain);

        assertThat(World.await(mx, "bob", 1).get(0)).contains(id).contains("TLS-Required: No");
    }

    @Test
    void thePolicyIsFetchedFromItsPolicyHost() throws Exception {
        String domain = stage.world.domain("fetch");
        PolicyHost policyHost = stage.world.publishPolicy(domain, "1", "enforce", "mx." + domain);
        PostfixServer mx = stage.world.mx(domain, 10, "mx." + domain, VALID, "bob");

        send("bob@" + domain);

        World.await(mx, "bob", 1);
        assertThat(policyHost.requests()).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.host()).isEqualTo("mta-sts." + domain);
            assertThat(request.serverName()).isEqualTo("mta-sts." + domain);
            assertThat(request.path()).isEqualTo(World.POLICY_PATH);
        });
    }
}

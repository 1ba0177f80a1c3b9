package io.github.jamesmtasts.it;

import io.github.jamesmtasts.testkit.MxServer;
import io.github.jamesmtasts.testkit.PostfixServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.mail.MessagingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static io.github.jamesmtasts.it.World.Certificate.VALID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * REQUIRETLS (RFC 8689) through a real James with the SMTP hooks and the delivery mailet: accepted only over
 * TLS, passed on only to a verified next hop that offers it, and returned with 5.7.30 otherwise.
 */
class RequireTlsIT {
    @TempDir
    static Path directory;
    private static Stage stage;
    @BeforeAll
    static void start() {
        stage = Stage.start("requiretls", directory, "enforce");
    }

    @AfterAll
    static void stop() throws Exception {
        if (stage != null) {
            stage.close();
        }
    }

    /**
     * RFC 8689 §5: the bounce about {@code recipient} reaches the sender although its domain has no policy at all
     * and its MX offers no STARTTLS (the bounce goes without REQUIRETLS), and returns the header fields only.
     */
    private static String bounceFor(String recipient) throws InterruptedException {
        String bounce = stage.bounceFor(recipient);
        assertThat(bounce).contains("Subject: MTA-STS test").doesNotContain("Hello over MTA-STS.");
        return bounce;
    }

    @Test
    void refusedWithoutTls() {
        String domain = stage.world.domain("plain");

        // RFC 8689 §4.1: REQUIRETLS is only offered, and only accepted, on a TLS session.
        assertThatThrownBy(() -> stage.submission.sendRequiringTls(false, stage.sender, "bob@" + domain))
            .isInstanceOf(MessagingException.class);
    }

    @Test
    void passedOnToAVerifiedNextHopThatOffersIt() throws Exception {
        String domain = stage.world.domain("offers");
        stage.world.publishPolicy(domain, "1", "enforce", "mx." + domain);
        MxServer mx = stage.world.scriptedMx(domain, 10, "mx." + domain, options -> options.requireTls(true));

        String id = stage.submission.sendRequiringTls(true, stage.sender, "bob@" + domain);

        MxServer.Received received = mx.awaitMessages(1, Duration.ofSeconds(90)).get(0);
        assertThat(new String(received.data(), StandardCharsets.UTF_8)).contains(id);
        assertThat(received.hasMailParameter("REQUIRETLS")).isTrue();
        assertThat(received.tlsProtocol()).isNotNull();
    }

    @Test
    void returnedWith5730WhenTheNextHopDoesNotOfferIt() throws Exception {
        String domain = stage.world.domain("lacks");
        stage.world.publishPolicy(domain, "1", "enforce", "mx." + domain);
        PostfixServer mx = stage.world.mx(domain, 10, "mx." + domain, VALID, "bob");

        stage.submission.sendRequiringTls(true, stage.sender, "bob@" + domain);

        assertThat(bounceFor("bob@" + domain)).contains("5.7.30");
        assertThat(World.received(mx, "bob")).isEmpty();
    }

    @Test
    void returnedWith5730WithoutAnEnforcePolicy() throws Exception {
        String domain = stage.world.domain("nopolicy");
        MxServer mx = stage.world.scriptedMx(domain, 10, "mx." + domain, options -> options.requireTls(true));

        stage.submission.sendRequiringTls(true, stage.sender, "bob@" + domain);

        // RFC 8689 §4.2.1: without DANE or an enforce MTA-STS policy the MX host cannot be validated.
        assertThat(bounceFor("bob@" + domain)).contains("5.7.30");
        assertThat(mx.received()).isEmpty();
    }
}

package io.github.jamesmtasts.it;

import io.github.jamesmtasts.testkit.MxServer;
import io.github.jamesmtasts.testkit.PostfixServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

import java.nio.file.Path;

import static io.github.jamesmtasts.it.World.Certificate.SELF_SIGNED;
import static io.github.jamesmtasts.it.World.Certificate.VALID;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No mail is lost to a restart or to a DNS server that fails (issue 14): a real James 3.8.1 started by
 * {@code run-james.sh} with the sample configuration, stopped and killed in the middle.
 */
class DurabilityIT {
    @TempDir
    static Path directory;
    private static Stage stage;

    @BeforeAll
    static void start() {
        stage = Stage.start("durability", directory, "enforce");
    }

    @AfterAll
    static void stop() throws Exception {
        if (stage != null) {
            stage.close();
        }
    }

    @Test
    void mailWithheldByAnEnforcePolicyOutlivesAStopAndAKill() throws Exception {
        String domain = stage.world.domain("withheld");
        String host = "mx." + domain;
        stage.world.publishPolicy(domain, "1", "enforce", host);
        PostfixServer untrusted = stage.world.mx(domain, 10, host, SELF_SIGNED, "bob");
        String first = stage.submission.send(stage.sender, "bob@" + domain);
        stage.awaitAttempt(domain, "certificate-not-trusted");

        stage.james.stop();
        stage.james.start();
        String second = stage.submission.send(stage.sender, "bob@" + domain);
        World.until("the second mail withheld", () -> stage.james.log().lines()
            .filter(line -> line.contains("MTA-STS delivery to " + domain + ":")).count() >= 3);
        stage.james.kill();
        PostfixServer fixed = stage.world.replace(untrusted, domain, host, VALID, "bob");
        stage.james.start();

        World.await(fixed, "bob", 2);
        assertThat(World.received(fixed, "bob")).hasSize(2)
            .anyMatch(message -> message.contains(first)).anyMatch(message -> message.contains(second))
            .allMatch(message -> message.contains("using TLS"));
    }

    @Test
    void aFailingMtaStsLookUpDefersTheMailInsteadOfSendingItWithoutThePolicy() throws Exception {
        String domain = stage.world.domain("servfail");
        String host = "mx." + domain;
        stage.world.publishPolicy(domain, "1", "enforce", host);
        MxServer mx = stage.world.scriptedMx(domain, 10, host, options -> options);
        stage.world.dns().rcode("_mta-sts." + domain, Type.TXT, Rcode.SERVFAIL);

        String id = stage.submission.send(stage.sender, "bob@" + domain);

        // RFC 8461 §5.1 (conformance case cache-011): no policy known and none cached: the mail waits.
        stage.awaitAttempt(domain, "could not be looked up");
        assertThat(mx.received()).isEmpty();
        stage.world.dns().unforce("_mta-sts." + domain, Type.TXT);
        World.until("the mail delivered once DNS answers", () -> mx.received().stream()
            .anyMatch(message -> message.text().contains(id) && message.tls()));
    }
}

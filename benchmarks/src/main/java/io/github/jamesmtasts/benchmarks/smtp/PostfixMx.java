package io.github.jamesmtasts.benchmarks.smtp;

import io.github.jamesmtasts.smtp.MxTarget;
import io.github.jamesmtasts.smtp.SmtpSettings;
import io.github.jamesmtasts.tls.TrustAnchors;
import io.github.jamesmtasts.testkit.LoopbackAddresses;
import io.github.jamesmtasts.testkit.PostfixServer;
import io.github.jamesmtasts.testkit.TestCa;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real Postfix MX with STARTTLS on a loopback address, taking mail for {@code bench@rcpt.test}
 * and throwing it away after queueing ({@code virtual_transport = discard}), as the target of the
 * SMTP benchmarks. Needs root and the Postfix package.
 */
final class PostfixMx implements AutoCloseable {
    static final String HOSTNAME = "mx.bench.test";
    static final String RECIPIENT = "bench@rcpt.test";

    private final Path directory;
    private final TestCa ca = TestCa.create("Benchmark CA");
    private final PostfixServer postfix;

    PostfixMx() {
        if (!PostfixServer.isInstalled()) {
            throw new IllegalStateException("the SMTP benchmarks need Postfix: apt-get install postfix");
        }
        try {
            directory = Files.createTempDirectory("postfix-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        postfix = PostfixServer.builder(directory, LoopbackAddresses.next())
            .hostname(HOSTNAME)
            .domain("rcpt.test")
            .mailboxes("bench")
            .certificate(ca.issue(HOSTNAME))
            .messageSizeLimit(64L * 1024 * 1024)
            .mainCf("virtual_transport = discard")
            .start();
    }

    MxTarget target() {
        return new MxTarget(HOSTNAME, postfix.address(), 25);
    }

    /** Settings that trust the benchmark CA, with the given reuse limit. */
    SmtpSettings settings(int maxMessagesPerConnection) {
        return SmtpSettings.builder("client.bench.test")
            .trustAnchors(TrustAnchors.of(ca.trustStore()))
            .maxMessagesPerConnection(maxMessagesPerConnection)
            .allStepTimeouts(Duration.ofSeconds(30))
            .build();
    }

    @Override
    public void close() {
        postfix.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

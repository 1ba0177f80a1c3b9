package io.github.jamesmtasts.smtp;

import io.github.jamesmtasts.tls.TrustAnchors;
import io.github.jamesmtasts.testkit.TestCa;

import java.time.Duration;

/** Settings for tests: HELO name {@code client.test}, short timeouts, and only the test CA trusted. */
final class TestSettings {
    private TestSettings() {
    }

    static SmtpSettings.Builder trusting(TestCa ca, Duration stepTimeout) {
        return SmtpSettings.builder("client.test")
            .allStepTimeouts(stepTimeout)
            .connectTimeout(Duration.ofSeconds(5))
            .trustAnchors(TrustAnchors.of(ca.trustStore()));
    }
}

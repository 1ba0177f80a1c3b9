package io.github.jamesmtasts.tlsrpt.counting;

import io.github.jamesmtasts.result.Failure;
import io.github.jamesmtasts.result.ReportedPolicy;
import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.result.SessionResult;

import java.time.Instant;
import java.util.List;

/** Session results as delivery makes them, for tests. */
public final class Results {
    public static final ReportedPolicy STS = ReportedPolicy.sts(
        List.of("version: STSv1", "mode: enforce", "mx: *.mail.example.net", "max_age: 86400"), List.of("*.mail.example.net"));

    private Results() {
    }

    public static SessionResult success(Instant time, String domain) {
        return base(time, domain).build();
    }

    public static SessionResult failure(Instant time, String domain, ResultType type, String reasonCode) {
        return base(time, domain).failure(Failure.of(type, "detail of " + type, reasonCode)).build();
    }

    public static SessionResult failure(Instant time, String domain, ResultType type) {
        return base(time, domain).failure(Failure.of(type, "detail of " + type)).build();
    }

    private static SessionResult.Builder base(Instant time, String domain) {
        return SessionResult.builder().time(time).policyDomain(domain).policy(STS)
            .sendingMtaIp("192.0.2.1").receivingMxHostname("mx1.mail.example.net").receivingIp("198.51.100.7");
    }
}

package io.github.jamesmtasts.policy;

import io.github.jamesmtasts.mtasts.Parsed;
import io.github.jamesmtasts.mtasts.Policy;
import io.github.jamesmtasts.mtasts.PolicyError;
import io.github.jamesmtasts.mtasts.PolicyParser;
import io.github.jamesmtasts.https.HttpsClient;
import io.github.jamesmtasts.https.HttpsException;
import io.github.jamesmtasts.https.HttpsFailure;
import io.github.jamesmtasts.https.HttpsResponse;
import io.github.jamesmtasts.https.Limits;
import io.github.jamesmtasts.result.Failure;
import io.github.jamesmtasts.result.ResultType;

import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches a domain's policy (RFC 8461 §3.3): {@code GET https://mta-sts.<domain>/.well-known/mta-sts.txt}
 * through {@link HttpsClient} (PKIX-valid certificate for the policy host, no redirects, no HTTP cache,
 * time and size limits), then checks the response and parses the policy.
 *
 * <p>Failures are named as TLS-RPT names them (RFC 8460 §4.3.2): a certificate the policy host cannot
 * prove itself with is {@code sts-webpki-invalid}; a policy that does not parse is
 * {@code sts-policy-invalid}; anything else (DNS, connection, status other than 200, media type other
 * than {@code text/plain}, size, time) is {@code sts-policy-fetch-error}. Each failure carries a short
 * reason code and a detail naming the URL.
 */
public final class PolicyFetcher {
    /** RFC 8461 §3.2: the policy's path on the policy host. */
    public static final String WELL_KNOWN_PATH = "/.well-known/mta-sts.txt";
    private static final String MEDIA_TYPE = "text/plain";
    private static final int OK = 200;

    private final HttpsClient https;
    private final Limits limits;
    private final FetchTimer timer;

    public PolicyFetcher(HttpsClient https, PolicySettings settings) {
        this(https, settings, FetchTimer.none());
    }

    public PolicyFetcher(HttpsClient https, PolicySettings settings, FetchTimer timer) {
        this.https = Objects.requireNonNull(https, "https");
        this.limits = Limits.of(settings.maxPolicyBytes(), settings.fetchTimeout());
        this.timer = Objects.requireNonNull(timer, "timer");
    }

    /** RFC 8461 §3.3: the policy host of a policy domain, {@code mta-sts.<domain>}. */
    public static String policyHost(String domain) {
        return "mta-sts." + domain;
    }

    /** The policy URL of a policy domain, for logs and reports. */
    public static String policyUrl(String domain) {
        return "https://" + policyHost(domain) + WELL_KNOWN_PATH;
    }

    /** Fetches and parses the policy of a policy domain (an A-label without a trailing dot). Never fails exceptionally. */
    public CompletableFuture<FetchResult> fetch(String domain) {
        String url = policyUrl(domain);
        Runnable stop = timer.start();
        return https.get(policyHost(domain), WELL_KNOWN_PATH, limits)
            .whenComplete((response, error) -> stop.run())
            .handle((response, error) -> error == null ? check(response, url) : failed(HttpsException.failureOf(error), url));
    }

    private static FetchResult check(HttpsResponse response, String url) {
        // RFC 8461 §3.3: redirects are not followed, so any status other than 200 is a failure.
        if (response.status() != OK) {
            return FetchResult.failed(Failure.of(ResultType.STS_POLICY_FETCH_ERROR,
                "HTTP status " + response.status() + " from " + url, "http-status-" + response.status()));
        }
        // RFC 8461 §3.2: the media type is text/plain; parameters such as charset do not matter.
        if (!response.mediaType().filter(MEDIA_TYPE::equals).isPresent()) {
            return FetchResult.failed(Failure.of(ResultType.STS_POLICY_FETCH_ERROR,
                "media type " + response.contentType().orElse("(none)") + " from " + url + " is not " + MEDIA_TYPE, "media-type"));
        }
        Parsed<Policy, PolicyError> parsed = PolicyParser.parse(response.body());
        return parsed.value().map(policy -> response.peerCertificate()
                .map(certificate -> FetchResult.fetched(policy, certificate.getNotAfter().toInstant()))
                .orElseGet(() -> FetchResult.fetched(policy)))
            .orElseGet(() -> FetchResult.failed(Failure.of(ResultType.STS_POLICY_INVALID,
            "invalid policy at " + url + ": " + parsed.detail(), code(parsed.reason().orElseThrow()))));
    }

    private static FetchResult failed(HttpsFailure failure, String url) {
        String detail = "cannot fetch " + url + ": " + failure.detail();
        // RFC 8460 §4.3.2: the policy host's certificate is sts-webpki-invalid; what is wrong with it is the reason.
        return failure.certificateFailure()
            .map(type -> FetchResult.failed(Failure.of(ResultType.STS_WEBPKI_INVALID, detail, type.code())))
            .orElseGet(() -> FetchResult.failed(Failure.of(ResultType.STS_POLICY_FETCH_ERROR, detail, code(failure.kind()))));
    }

    /** {@code BAD_MX} becomes {@code bad-mx}. */
    private static String code(Enum<?> reason) {
        return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

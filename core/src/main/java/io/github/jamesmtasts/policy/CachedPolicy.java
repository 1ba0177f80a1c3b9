package io.github.jamesmtasts.policy;

import io.github.jamesmtasts.mtasts.Parsed;
import io.github.jamesmtasts.mtasts.Policy;
import io.github.jamesmtasts.mtasts.PolicyError;
import io.github.jamesmtasts.mtasts.PolicyParser;
import io.github.jamesmtasts.mtasts.StsRecord;
import io.github.jamesmtasts.result.Failure;

import java.time.Instant;
import java.util.Objects;

/**
 * A fetched policy as the cache keeps it (RFC 8461 §5.1): the policy domain, the {@code id} of the
 * TXT record it was fetched under, when it was fetched, and when it expires ({@code max_age} later).
 */
public final class CachedPolicy {
    private final String domain;
    private final String id;
    private final Policy policy;
    private final Instant fetched;

    public CachedPolicy(String domain, String id, Policy policy, Instant fetched) {
        this.domain = Objects.requireNonNull(domain, "domain");
        this.id = Objects.requireNonNull(id, "id");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.fetched = Objects.requireNonNull(fetched, "fetched");
    }

    /**
     * A policy as a store kept it: its domain, the {@code id} it was fetched under, the policy's text and when it was
     * fetched, each checked again as on the way in.
     *
     * @throws IllegalArgumentException when the id or the text is not valid
     */
    public static CachedPolicy restore(String domain, String id, String text, Instant fetched) {
        StsRecord record = StsRecord.withId(id);
        Parsed<Policy, PolicyError> policy = PolicyParser.parse(text);
        if (!policy.isValid()) {
            throw new IllegalArgumentException("invalid policy: " + policy);
        }
        return new CachedPolicy(domain, record.id(), policy.value().orElseThrow(), fetched);
    }

    /** The policy domain: an A-label, lower case, without a trailing dot. */
    public String domain() {
        return domain;
    }

    public String id() {
        return id;
    }

    public Policy policy() {
        return policy;
    }

    public Instant fetched() {
        return fetched;
    }

    /** RFC 8461 §3.2, §5.1: {@code max_age} after the fetch. */
    public Instant expires() {
        return fetched.plus(policy.maxAge());
    }

    /** RFC 8461 §5.1: a policy is used only while its time since fetch has not exceeded its {@code max_age}. */
    public boolean isValidAt(Instant now) {
        return now.isBefore(expires());
    }

    /** This policy applied, with the failure met while trying to refresh it (or null). */
    public PolicyLookup lookup(Failure failure) {
        return PolicyLookup.found(domain, policy, id, expires(), failure);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CachedPolicy)) {
            return false;
        }
        CachedPolicy other = (CachedPolicy) o;
        return domain.equals(other.domain) && id.equals(other.id) && policy.equals(other.policy) && fetched.equals(other.fetched);
    }

    @Override
    public int hashCode() {
        return Objects.hash(domain, id, policy, fetched);
    }

    @Override
    public String toString() {
        return domain + " id=" + id + " " + policy + " fetched " + fetched;
    }
}

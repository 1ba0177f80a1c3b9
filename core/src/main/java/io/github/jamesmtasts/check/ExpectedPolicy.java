package io.github.jamesmtasts.check;

import io.github.jamesmtasts.mtasts.MxPattern;
import io.github.jamesmtasts.mtasts.Policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * What a domain's own server serves: the policy and the {@code id} its {@code _mta-sts} record should carry. A
 * check of one's own domain compares what senders see with it.
 */
public final class ExpectedPolicy {
    private final String id;
    private final Policy policy;

    private ExpectedPolicy(String id, Policy policy) {
        this.id = Objects.requireNonNull(id, "id");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public static ExpectedPolicy of(String id, Policy policy) {
        return new ExpectedPolicy(id, policy);
    }

    public String id() {
        return id;
    }

    public Policy policy() {
        return policy;
    }

    /** How a fetched policy differs from this one, field by field; empty when the same (the order of {@code mx} lines does not count). */
    public List<String> differences(Policy fetched) {
        List<String> differences = new ArrayList<>();
        if (fetched.mode() != policy.mode()) {
            differences.add("mode " + fetched.mode().keyword() + ", served " + policy.mode().keyword());
        }
        if (!new HashSet<>(fetched.mx()).equals(new HashSet<>(policy.mx()))) {
            differences.add("mx " + patterns(fetched.mx()) + ", served " + patterns(policy.mx()));
        }
        if (!fetched.maxAge().equals(policy.maxAge())) {
            differences.add("max_age " + fetched.maxAge().getSeconds() + ", served " + policy.maxAge().getSeconds());
        }
        return differences;
    }

    private static String patterns(List<MxPattern> mx) {
        return mx.stream().map(MxPattern::toString).reduce((a, b) -> a + " " + b).orElse("(none)");
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ExpectedPolicy)) {
            return false;
        }
        ExpectedPolicy other = (ExpectedPolicy) o;
        return id.equals(other.id) && policy.equals(other.policy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, policy);
    }

    @Override
    public String toString() {
        return "id=" + id + " " + policy;
    }
}

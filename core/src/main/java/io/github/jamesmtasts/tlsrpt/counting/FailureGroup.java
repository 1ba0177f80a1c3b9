package io.github.jamesmtasts.tlsrpt.counting;

import io.github.jamesmtasts.result.Failure;
import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.result.SessionResult;

import java.util.Objects;
import java.util.Optional;

/**
 * The failed sessions that one {@code failure-details} entry of a report counts together
 * (RFC 8460 §4.4): same result type, sending MTA address, receiving MX host and address, and
 * {@code failure-reason-code}.
 */
public final class FailureGroup {
    private final ResultType resultType;
    private final String sendingMtaIp;
    private final String receivingMxHostname;
    private final String receivingIp;
    private final String failureReasonCode;
    private final int hash;

    public FailureGroup(ResultType resultType, String sendingMtaIp, String receivingMxHostname, String receivingIp,
                        String failureReasonCode) {
        this.resultType = Objects.requireNonNull(resultType, "resultType");
        this.sendingMtaIp = sendingMtaIp;
        this.receivingMxHostname = receivingMxHostname;
        this.receivingIp = receivingIp;
        this.failureReasonCode = failureReasonCode;
        this.hash = Objects.hash(resultType, sendingMtaIp, receivingMxHostname, receivingIp, failureReasonCode);
    }

    /**
     * The group of a failed session. RFC 8460 §4.4 makes {@code failure-reason-code} "a text field to
     * include a TLS-related error code or error message": the failure's reason code where it has one,
     * else its detail.
     *
     * @throws IllegalArgumentException for a successful session
     */
    public static FailureGroup of(SessionResult result) {
        Failure failure = result.failure().orElseThrow(() -> new IllegalArgumentException("not a failure: " + result));
        return new FailureGroup(failure.type(), result.sendingMtaIp().orElse(null), result.receivingMxHostname().orElse(null),
            result.receivingIp().orElse(null), failure.reasonCode().orElse(failure.detail()));
    }

    public ResultType resultType() {
        return resultType;
    }

    public Optional<String> sendingMtaIp() {
        return Optional.ofNullable(sendingMtaIp);
    }

    public Optional<String> receivingMxHostname() {
        return Optional.ofNullable(receivingMxHostname);
    }

    public Optional<String> receivingIp() {
        return Optional.ofNullable(receivingIp);
    }

    public Optional<String> failureReasonCode() {
        return Optional.ofNullable(failureReasonCode);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FailureGroup)) {
            return false;
        }
        FailureGroup other = (FailureGroup) o;
        return hash == other.hash && resultType == other.resultType && Objects.equals(sendingMtaIp, other.sendingMtaIp)
            && Objects.equals(receivingMxHostname, other.receivingMxHostname) && Objects.equals(receivingIp, other.receivingIp)
            && Objects.equals(failureReasonCode, other.failureReasonCode);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return resultType + " " + sendingMtaIp + " -> " + receivingMxHostname + "[" + receivingIp + "] " + failureReasonCode;
    }
}

package io.github.jamesmtasts.tlsrpt.receiving;

import io.github.jamesmtasts.result.ResultType;

import java.util.Objects;
import java.util.Optional;

/** One {@code failure-details} entry of a received report (RFC 8460 §4.4): a kind of failure and how often it was seen. */
public final class ReceivedFailure {
    private final String resultType;
    private final String sendingMtaIp;
    private final String receivingMxHostname;
    private final String receivingMxHelo;
    private final String receivingIp;
    private final long failedSessionCount;
    private final String additionalInformation;
    private final String failureReasonCode;

    /** The optional fields may be null. */
    public ReceivedFailure(String resultType, String sendingMtaIp, String receivingMxHostname, String receivingMxHelo,
                           String receivingIp, long failedSessionCount, String additionalInformation, String failureReasonCode) {
        this.resultType = Objects.requireNonNull(resultType, "resultType");
        if (failedSessionCount < 0) {
            throw new IllegalArgumentException("negative failed-session-count " + failedSessionCount);
        }
        this.sendingMtaIp = sendingMtaIp;
        this.receivingMxHostname = receivingMxHostname;
        this.receivingMxHelo = receivingMxHelo;
        this.receivingIp = receivingIp;
        this.failedSessionCount = failedSessionCount;
        this.additionalInformation = additionalInformation;
        this.failureReasonCode = failureReasonCode;
    }

    /** {@code result-type} as the sender wrote it, known to RFC 8460 §4.3 or not. */
    public String resultType() {
        return resultType;
    }

    /** The RFC 8460 §4.3 result type, when {@link #resultType()} is one this code knows. */
    public Optional<ResultType> knownResultType() {
        return ResultType.fromCode(resultType);
    }

    public Optional<String> sendingMtaIp() {
        return Optional.ofNullable(sendingMtaIp);
    }

    public Optional<String> receivingMxHostname() {
        return Optional.ofNullable(receivingMxHostname);
    }

    public Optional<String> receivingMxHelo() {
        return Optional.ofNullable(receivingMxHelo);
    }

    public Optional<String> receivingIp() {
        return Optional.ofNullable(receivingIp);
    }

    public long failedSessionCount() {
        return failedSessionCount;
    }

    /** RFC 8460 §4.4: a URI to more about the failure. */
    public Optional<String> additionalInformation() {
        return Optional.ofNullable(additionalInformation);
    }

    public Optional<String> failureReasonCode() {
        return Optional.ofNullable(failureReasonCode);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ReceivedFailure)) {
            return false;
        }
        ReceivedFailure other = (ReceivedFailure) o;
        return failedSessionCount == other.failedSessionCount && resultType.equals(other.resultType)
            && Objects.equals(sendingMtaIp, other.sendingMtaIp) && Objects.equals(receivingMxHostname, other.receivingMxHostname)
            && Objects.equals(receivingMxHelo, other.receivingMxHelo) && Objects.equals(receivingIp, other.receivingIp)
            && Objects.equals(additionalInformation, other.additionalInformation)
            && Objects.equals(failureReasonCode, other.failureReasonCode);
    }

    @Override
    public int hashCode() {
        return Objects.hash(resultType, sendingMtaIp, receivingMxHostname, receivingMxHelo, receivingIp, failedSessionCount,
            additionalInformation, failureReasonCode);
    }

    @Override
    public String toString() {
        return resultType + " x" + failedSessionCount + (receivingMxHostname == null ? "" : " at " + receivingMxHostname);
    }
}

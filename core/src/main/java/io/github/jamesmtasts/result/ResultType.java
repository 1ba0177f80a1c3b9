package io.github.jamesmtasts.result;

import java.util.Arrays;
import java.util.Optional;

/** The result types of RFC 8460 §4.3, each with the exact string used in a report. */
public enum ResultType {
    // RFC 8460 §4.3.1: negotiation failures
    STARTTLS_NOT_SUPPORTED("starttls-not-supported"),
    CERTIFICATE_HOST_MISMATCH("certificate-host-mismatch"),
    CERTIFICATE_EXPIRED("certificate-expired"),
    CERTIFICATE_NOT_TRUSTED("certificate-not-trusted"),
    VALIDATION_FAILURE("validation-failure"),
    // RFC 8460 §4.3.2: policy failures (DANE)
    TLSA_INVALID("tlsa-invalid"),
    DNSSEC_INVALID("dnssec-invalid"),
    DANE_REQUIRED("dane-required"),
    // RFC 8460 §4.3.2: policy failures (MTA-STS)
    STS_POLICY_FETCH_ERROR("sts-policy-fetch-error"),
    STS_POLICY_INVALID("sts-policy-invalid"),
    STS_WEBPKI_INVALID("sts-webpki-invalid");

    private final String code;

    ResultType(String code) {
        this.code = code;
    }

    /** The string that stands in a report's {@code result-type}. */
    public String code() {
        return code;
    }

    public static Optional<ResultType> fromCode(String code) {
        return Arrays.stream(values()).filter(type -> type.code.equals(code)).findFirst();
    }

    @Override
    public String toString() {
        return code;
    }
}

package io.github.jamesmtasts.https;

import io.github.jamesmtasts.settings.Durations;

import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link HttpsClient} connects, for policy fetches and report uploads alike. Immutable; made with
 * {@link #builder()}. What it trusts is not a setting here but the {@link io.github.jamesmtasts.tls.TrustAnchors}
 * it is made with.
 */
public final class HttpsSettings {
    private final Duration connectTimeout;
    private final boolean allowPrivateAddresses;

    private HttpsSettings(Builder builder) {
        this.connectTimeout = builder.connectTimeout;
        this.allowPrivateAddresses = builder.allowPrivateAddresses;
    }

    /** The defaults: see each builder method. */
    public static HttpsSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public boolean allowPrivateAddresses() {
        return allowPrivateAddresses;
    }

    @Override
    public String toString() {
        return "connectTimeout=" + connectTimeout + " allowPrivateAddresses=" + allowPrivateAddresses;
    }

    /** Builds {@link HttpsSettings}. */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(10);
        private boolean allowPrivateAddresses;

        private Builder() {
        }

        /** How long opening one TCP connection may take. Default 10 seconds. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Durations.positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** Whether loopback, private and link-local addresses may be connected to. Default false; tests set it. */
        public Builder allowPrivateAddresses(boolean allowPrivateAddresses) {
            this.allowPrivateAddresses = allowPrivateAddresses;
            return this;
        }

        public HttpsSettings build() {
            return new HttpsSettings(this);
        }
    }
}

package io.github.jamesmtasts.https;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** How an {@link HttpsClient} connects. Immutable; made with {@link #builder()}. */
public final class HttpsSettings {
    private final Duration connectTimeout;
    private final boolean allowPrivateAddresses;
    private final Path extraTrustedCaPem;
    private final int defaultPort;

    private HttpsSettings(Builder builder) {
        this.connectTimeout = builder.connectTimeout;
        this.allowPrivateAddresses = builder.allowPrivateAddresses;
        this.extraTrustedCaPem = builder.extraTrustedCaPem;
        this.defaultPort = builder.defaultPort;
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

    public Optional<Path> extraTrustedCaPem() {
        return Optional.ofNullable(extraTrustedCaPem);
    }

    public int defaultPort() {
        return defaultPort;
    }

    @Override
    public String toString() {
        return "connectTimeout=" + connectTimeout + " allowPrivateAddresses=" + allowPrivateAddresses
            + " extraTrustedCaPem=" + extraTrustedCaPem + " defaultPort=" + defaultPort;
    }

    /** Builds {@link HttpsSettings}. */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(10);
        private boolean allowPrivateAddresses;
        private Path extraTrustedCaPem;
        private int defaultPort = 443;

        private Builder() {
        }

        /** How long opening one TCP connection may take. Default 10 seconds. */
        public Builder connectTimeout(Duration connectTimeout) {
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive");
            }
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** Whether loopback, private and link-local addresses may be connected to. Default false; tests set it. */
        public Builder allowPrivateAddresses(boolean allowPrivateAddresses) {
            this.allowPrivateAddresses = allowPrivateAddresses;
            return this;
        }

        /** A PEM file of CA certificates trusted besides the JVM's default roots. Default none. */
        public Builder extraTrustedCaPem(Path extraTrustedCaPem) {
            this.extraTrustedCaPem = Objects.requireNonNull(extraTrustedCaPem, "extraTrustedCaPem");
            return this;
        }

        /** The port of {@link HttpsClient#get}. Default 443; only tests change it. */
        public Builder defaultPort(int defaultPort) {
            if (defaultPort < 1 || defaultPort > 65535) {
                throw new IllegalArgumentException("not a port: " + defaultPort);
            }
            this.defaultPort = defaultPort;
            return this;
        }

        public HttpsSettings build() {
            return new HttpsSettings(this);
        }
    }
}

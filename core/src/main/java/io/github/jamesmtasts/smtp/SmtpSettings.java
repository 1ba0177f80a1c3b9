package io.github.jamesmtasts.smtp;

import io.github.jamesmtasts.settings.Durations;

import io.github.jamesmtasts.tls.TrustAnchors;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link NettySmtpSender} talks to MX hosts. Immutable; made with {@link #builder(String)}.
 *
 * <p>The step timeouts default to the minimums of RFC 5321 §4.5.3.2; a timeout that fires ends the
 * session as a network failure.
 */
public final class SmtpSettings {
    /** RFC 5321 §4.5.3.2.1: initial 220 message, 5 minutes. */
    public static final Duration DEFAULT_GREETING_TIMEOUT = Duration.ofMinutes(5);
    /** RFC 5321 §4.5.3.2.2: MAIL command, 5 minutes. */
    public static final Duration DEFAULT_MAIL_TIMEOUT = Duration.ofMinutes(5);
    /** RFC 5321 §4.5.3.2.3: RCPT command, 5 minutes. */
    public static final Duration DEFAULT_RCPT_TIMEOUT = Duration.ofMinutes(5);
    /** RFC 5321 §4.5.3.2.4: DATA initiation (the 354 reply), 2 minutes. */
    public static final Duration DEFAULT_DATA_INITIATION_TIMEOUT = Duration.ofMinutes(2);
    /** RFC 5321 §4.5.3.2.5: each data block sent, 3 minutes. */
    public static final Duration DEFAULT_DATA_BLOCK_TIMEOUT = Duration.ofMinutes(3);
    /** RFC 5321 §4.5.3.2.6: DATA termination (the reply to the final dot), 10 minutes. */
    public static final Duration DEFAULT_DATA_TERMINATION_TIMEOUT = Duration.ofMinutes(10);
    /**
     * EHLO, STARTTLS, the TLS handshake, RSET and QUIT: RFC 5321 names no value, so they get the
     * 5 minutes of MAIL and RCPT.
     */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMinutes(5);
    /** The TCP connect timeout, as James's RemoteDelivery {@code connectiontimeout} (60 s). */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(60);
    /** How many messages one connection carries before it is closed. */
    public static final int DEFAULT_MAX_MESSAGES_PER_CONNECTION = 100;
    /** Postfix's {@code default_destination_concurrency_limit}. */
    public static final int DEFAULT_DESTINATION_CONCURRENCY_LIMIT = 20;
    /** How long an idle pooled connection is kept before {@code QUIT}. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The largest message sent as one {@code BDAT} chunk: each message sent this way is held whole in memory while its
     * session sends it, so 20 sessions to one MX hold at most 5 MiB. Larger messages go with {@code DATA}, streamed.
     */
    public static final long DEFAULT_CHUNKING_MAX_SIZE = 256 * 1024;
    /** Netty I/O threads: SMTP is mostly waiting, so few are needed. */
    public static final int DEFAULT_IO_THREADS = 2;

    private final String heloName;
    private final Duration connectTimeout;
    private final Duration greetingTimeout;
    private final Duration commandTimeout;
    private final Duration mailTimeout;
    private final Duration rcptTimeout;
    private final Duration dataInitiationTimeout;
    private final Duration dataBlockTimeout;
    private final Duration dataTerminationTimeout;
    private final int maxMessagesPerConnection;
    private final int destinationConcurrencyLimit;
    private final long chunkingMaxSize;
    private final Duration idleTimeout;
    private final TrustAnchors trustAnchors;
    private final InetAddress bindAddress;
    private final int ioThreads;

    private SmtpSettings(Builder builder) {
        this.heloName = builder.heloName;
        this.connectTimeout = builder.connectTimeout;
        this.greetingTimeout = builder.greetingTimeout;
        this.commandTimeout = builder.commandTimeout;
        this.mailTimeout = builder.mailTimeout;
        this.rcptTimeout = builder.rcptTimeout;
        this.dataInitiationTimeout = builder.dataInitiationTimeout;
        this.dataBlockTimeout = builder.dataBlockTimeout;
        this.dataTerminationTimeout = builder.dataTerminationTimeout;
        this.maxMessagesPerConnection = builder.maxMessagesPerConnection;
        this.destinationConcurrencyLimit = builder.destinationConcurrencyLimit;
        this.chunkingMaxSize = builder.chunkingMaxSize;
        this.idleTimeout = builder.idleTimeout;
        this.trustAnchors = builder.trustAnchors;
        this.bindAddress = builder.bindAddress;
        this.ioThreads = builder.ioThreads;
    }

    /** @param heloName the name this MTA gives in {@code EHLO} (RFC 5321 §4.1.1.1: its FQDN) */
    public static Builder builder(String heloName) {
        return new Builder(heloName);
    }

    public String heloName() {
        return heloName;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration greetingTimeout() {
        return greetingTimeout;
    }

    /** The timeout of EHLO, STARTTLS, the TLS handshake, RSET and QUIT. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    public Duration mailTimeout() {
        return mailTimeout;
    }

    public Duration rcptTimeout() {
        return rcptTimeout;
    }

    public Duration dataInitiationTimeout() {
        return dataInitiationTimeout;
    }

    public Duration dataBlockTimeout() {
        return dataBlockTimeout;
    }

    public Duration dataTerminationTimeout() {
        return dataTerminationTimeout;
    }

    public int maxMessagesPerConnection() {
        return maxMessagesPerConnection;
    }

    /** Sessions open or opening at a time to one MX address under one stance; more messages wait their turn. */
    public int destinationConcurrencyLimit() {
        return destinationConcurrencyLimit;
    }

    /**
     * The largest message sent with {@code BDAT} (RFC 3030) as one chunk, pipelined behind its envelope, to an MX
     * that offers {@code CHUNKING} and {@code PIPELINING}; 0 never uses {@code BDAT}.
     */
    public long chunkingMaxSize() {
        return chunkingMaxSize;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** The certificates a verified session trusts. */
    public TrustAnchors trustAnchors() {
        return trustAnchors;
    }

    /** The local address outgoing connections are bound to (James's {@code bind}), if any. */
    public Optional<InetAddress> bindAddress() {
        return Optional.ofNullable(bindAddress);
    }

    public int ioThreads() {
        return ioThreads;
    }

    /** Builds {@link SmtpSettings}; every setting not given keeps its documented default. */
    public static final class Builder {
        private final String heloName;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration greetingTimeout = DEFAULT_GREETING_TIMEOUT;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration mailTimeout = DEFAULT_MAIL_TIMEOUT;
        private Duration rcptTimeout = DEFAULT_RCPT_TIMEOUT;
        private Duration dataInitiationTimeout = DEFAULT_DATA_INITIATION_TIMEOUT;
        private Duration dataBlockTimeout = DEFAULT_DATA_BLOCK_TIMEOUT;
        private Duration dataTerminationTimeout = DEFAULT_DATA_TERMINATION_TIMEOUT;
        private int maxMessagesPerConnection = DEFAULT_MAX_MESSAGES_PER_CONNECTION;
        private int destinationConcurrencyLimit = DEFAULT_DESTINATION_CONCURRENCY_LIMIT;
        private long chunkingMaxSize = DEFAULT_CHUNKING_MAX_SIZE;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private TrustAnchors trustAnchors = TrustAnchors.jvmDefault();
        private InetAddress bindAddress;
        private int ioThreads = DEFAULT_IO_THREADS;

        private Builder(String heloName) {
            if (Objects.requireNonNull(heloName, "heloName").isBlank()) {
                throw new IllegalArgumentException("the HELO name must not be blank");
            }
            this.heloName = heloName;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Durations.positive(timeout, "connectTimeout");
            return this;
        }

        public Builder greetingTimeout(Duration timeout) {
            this.greetingTimeout = Durations.positive(timeout, "greetingTimeout");
            return this;
        }

        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = Durations.positive(timeout, "commandTimeout");
            return this;
        }

        public Builder mailTimeout(Duration timeout) {
            this.mailTimeout = Durations.positive(timeout, "mailTimeout");
            return this;
        }

        public Builder rcptTimeout(Duration timeout) {
            this.rcptTimeout = Durations.positive(timeout, "rcptTimeout");
            return this;
        }

        public Builder dataInitiationTimeout(Duration timeout) {
            this.dataInitiationTimeout = Durations.positive(timeout, "dataInitiationTimeout");
            return this;
        }

        public Builder dataBlockTimeout(Duration timeout) {
            this.dataBlockTimeout = Durations.positive(timeout, "dataBlockTimeout");
            return this;
        }

        public Builder dataTerminationTimeout(Duration timeout) {
            this.dataTerminationTimeout = Durations.positive(timeout, "dataTerminationTimeout");
            return this;
        }

        /** Sets every step timeout (greeting, commands, MAIL, RCPT, DATA phases) at once; handy for tests. */
        public Builder allStepTimeouts(Duration timeout) {
            return greetingTimeout(timeout).commandTimeout(timeout).mailTimeout(timeout).rcptTimeout(timeout)
                .dataInitiationTimeout(timeout).dataBlockTimeout(timeout).dataTerminationTimeout(timeout);
        }

        /** At least 1; 1 turns connection reuse off. */
        public Builder maxMessagesPerConnection(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxMessagesPerConnection must be at least 1: " + max);
            }
            this.maxMessagesPerConnection = max;
            return this;
        }

        /** At least 1. */
        public Builder destinationConcurrencyLimit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("destinationConcurrencyLimit must be at least 1: " + limit);
            }
            this.destinationConcurrencyLimit = limit;
            return this;
        }

        /** 0 or more octets; 0 turns {@code BDAT} off. */
        public Builder chunkingMaxSize(long octets) {
            if (octets < 0) {
                throw new IllegalArgumentException("chunkingMaxSize must not be negative: " + octets);
            }
            this.chunkingMaxSize = octets;
            return this;
        }

        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Durations.positive(timeout, "idleTimeout");
            return this;
        }

        public Builder trustAnchors(TrustAnchors anchors) {
            this.trustAnchors = Objects.requireNonNull(anchors, "anchors");
            return this;
        }

        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        public Builder ioThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("ioThreads must be at least 1: " + threads);
            }
            this.ioThreads = threads;
            return this;
        }

        public SmtpSettings build() {
            return new SmtpSettings(this);
        }
    }
}

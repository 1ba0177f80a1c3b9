package io.github.jamesmtasts.james;

import io.github.jamesmtasts.delivery.DaneMode;
import io.github.jamesmtasts.delivery.EnforcementMode;
import io.github.jamesmtasts.delivery.RetrySchedule;
import io.github.jamesmtasts.smtp.SmtpSettings;
import io.github.jamesmtasts.tls.TrustAnchors;
import org.apache.mailet.MailetConfig;

import javax.mail.MessagingException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parameters of {@link MtaStsRemoteDelivery} as a mail admin writes them in {@code mailetcontainer.xml}:
 * the ones James's {@code RemoteDelivery} knows keep their names, meanings and defaults; the MTA-STS ones are
 * added. The one place where mailet parameters become settings. Immutable.
 */
public final class MailetParameters {
    static final String OUTGOING = "outgoing";
    static final String DELAY_TIME = "delayTime";
    static final String MAX_RETRIES = "maxRetries";
    static final String MAX_DNS_PROBLEM_RETRIES = "maxDnsProblemRetries";
    static final String TIMEOUT = "timeout";
    static final String CONNECTION_TIMEOUT = "connectiontimeout";
    static final String BOUNCE_PROCESSOR = "bounceProcessor";
    static final String HELO_NAME = "heloName";
    static final String MAX_CONCURRENT_DELIVERIES = "maxConcurrentDeliveries";
    /** The name {@code RemoteDelivery} gives its worker count; here an alias of {@link #MAX_CONCURRENT_DELIVERIES}. */
    /**
     * Accepted, no effect: a delivery here holds no thread. James 3.8.1's own {@code RemoteDelivery} does not bound its
     * concurrency by it either (its deliveries run on Reactor's bounded elastic scheduler, up to 256 at once).
     */
    static final String DELIVERY_THREADS = "deliveryThreads";
    static final String DESTINATION_CONCURRENCY_LIMIT = "destinationConcurrencyLimit";
    static final String MAX_MESSAGES_PER_CONNECTION = "maxMessagesPerConnection";
    static final String CHUNKING_MAX_SIZE = "chunkingMaxSize";
    static final String ENFORCEMENT = "enforcement";
    static final String DANE = "dane";
    static final String REPOSITORY = "repository";
    /** The earlier name of {@link #REPOSITORY}, when only deferred mail waited there. */
    static final String DEFERRED_REPOSITORY = "deferredRepository";
    static final String BIND = "bind";
    static final String GREETING_TIMEOUT = "greetingTimeout";
    static final String COMMAND_TIMEOUT = "commandTimeout";
    static final String MAIL_TIMEOUT = "mailTimeout";
    static final String RCPT_TIMEOUT = "rcptTimeout";
    static final String DATA_TIMEOUT = "dataTimeout";
    static final String DATA_BLOCK_TIMEOUT = "dataBlockTimeout";
    static final String DATA_END_TIMEOUT = "dataEndTimeout";

    /** Defaults of {@code RemoteDelivery} where it has the parameter. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofMillis(60000);
    /** Mails under delivery at the same time; a waiting delivery holds no thread, so this can be large. */
    public static final int DEFAULT_MAX_CONCURRENT_DELIVERIES = 100;
    /** Durable on every James that has file repositories (the memory server does): mail waits out a restart. */
    public static final String DEFAULT_REPOSITORY = "file://var/mail/mta-sts/";

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
    private static final Set<String> SUPPORTED = Set.of(DELAY_TIME, MAX_RETRIES, MAX_DNS_PROBLEM_RETRIES, TIMEOUT,
        CONNECTION_TIMEOUT, BOUNCE_PROCESSOR, HELO_NAME, MAX_CONCURRENT_DELIVERIES, ENFORCEMENT, DANE, REPOSITORY,
        DEFERRED_REPOSITORY, BIND, GREETING_TIMEOUT, COMMAND_TIMEOUT, MAIL_TIMEOUT, RCPT_TIMEOUT, DATA_TIMEOUT,
        DATA_BLOCK_TIMEOUT, DATA_END_TIMEOUT, DESTINATION_CONCURRENCY_LIMIT, MAX_MESSAGES_PER_CONNECTION,
        CHUNKING_MAX_SIZE);
    /**
     * {@code RemoteDelivery} parameters that have no meaning here: TLS is decided per MX host by MTA-STS
     * (STARTTLS is always used when offered); JavaMail is not used; the message always goes to the recipients
     * an MX accepts, the others are retried or returned on their own (as {@code sendpartial=true}); mail waits in
     * the {@code repository}, not in a James queue ({@code outgoing}).
     */
    private static final Set<String> NOT_APPLICABLE = Set.of("startTLS", "sslEnable", "verifyServerIdentity", "debug",
        "usePriority", "outgoingQueue", "sendpartial", OUTGOING, DELIVERY_THREADS);

    private final RetrySchedule retrySchedule;
    private final Duration connectionTimeout;
    private final String bounceProcessor;
    private final String heloName;
    private final int maxConcurrentDeliveries;
    private final EnforcementMode enforcement;
    private final DaneMode dane;
    private final String repository;
    private final InetAddress bind;
    private final SmtpSettings.Builder smtp;

    private MailetParameters(MailetConfig config) throws MessagingException {
        try {
            this.retrySchedule = RetrySchedule.parse(
                text(config, DELAY_TIME).orElse(RetrySchedule.DEFAULT_DELAY_TIME),
                number(config, MAX_RETRIES, RetrySchedule.DEFAULT_MAX_RETRIES),
                number(config, MAX_DNS_PROBLEM_RETRIES, RetrySchedule.DEFAULT_MAX_DNS_PROBLEM_RETRIES));
        } catch (IllegalArgumentException e) {
            throw new MessagingException("Invalid " + DELAY_TIME + " or retry count: " + e.getMessage(), e);
        }
        this.connectionTimeout = Duration.ofMillis(number(config, CONNECTION_TIMEOUT, DEFAULT_CONNECTION_TIMEOUT.toMillis()));
        if (connectionTimeout.isZero()) {
            throw new MessagingException(CONNECTION_TIMEOUT + " must be positive");
        }
        this.bounceProcessor = text(config, BOUNCE_PROCESSOR).orElse(null);
        this.heloName = text(config, HELO_NAME).orElseGet(MailetParameters::localHostName);
        this.smtp = stepTimeouts(config, SmtpSettings.builder(heloName).connectTimeout(connectionTimeout));
        try {
            smtp.destinationConcurrencyLimit(number(config, DESTINATION_CONCURRENCY_LIMIT,
                    SmtpSettings.DEFAULT_DESTINATION_CONCURRENCY_LIMIT))
                .maxMessagesPerConnection(number(config, MAX_MESSAGES_PER_CONNECTION,
                    SmtpSettings.DEFAULT_MAX_MESSAGES_PER_CONNECTION))
                .chunkingMaxSize(number(config, CHUNKING_MAX_SIZE, SmtpSettings.DEFAULT_CHUNKING_MAX_SIZE));
        } catch (IllegalArgumentException e) {
            throw new MessagingException(e.getMessage(), e);
        }
        this.maxConcurrentDeliveries = number(config, MAX_CONCURRENT_DELIVERIES, DEFAULT_MAX_CONCURRENT_DELIVERIES);
        if (maxConcurrentDeliveries < 1) {
            throw new MessagingException(MAX_CONCURRENT_DELIVERIES + " must be at least 1");
        }
        String mode = text(config, ENFORCEMENT).orElse(EnforcementMode.ENFORCE.keyword());
        this.enforcement = EnforcementMode.fromKeyword(mode).orElseThrow(() -> new MessagingException(
            ENFORCEMENT + " must be enforce, report-only or off, not '" + mode + "'"));
        String daneMode = text(config, DANE).orElse(DaneMode.ON.keyword());
        this.dane = DaneMode.fromKeyword(daneMode).orElseThrow(() -> new MessagingException(
            DANE + " must be on, report-only or off, not '" + daneMode + "'"));
        this.repository = text(config, REPOSITORY).or(() -> text(config, DEFERRED_REPOSITORY)).orElse(DEFAULT_REPOSITORY);
        this.bind = text(config, BIND).isPresent() ? ipAddress(text(config, BIND).get()) : null;
    }

    private static InetAddress ipAddress(String literal) throws MessagingException {
        if (!IP_LITERAL.matcher(literal).matches()) {
            throw new MessagingException(BIND + " must be an IP address of this host, not '" + literal + "'");
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new MessagingException(BIND + " must be an IP address of this host, not '" + literal + "'", e);
        }
    }

    /**
     * Reads and checks the parameters.
     *
     * @throws MessagingException for a malformed value or an unknown parameter (a misspelt or unsupported
     *                            {@code RemoteDelivery} one such as {@code gateway} must not be silently ignored)
     */
    public static MailetParameters read(MailetConfig config) throws MessagingException {
        for (Iterator<String> names = config.getInitParameterNames(); names.hasNext(); ) {
            String name = names.next();
            if (!SUPPORTED.contains(name) && !NOT_APPLICABLE.contains(name) && !name.startsWith("mail.")) {
                throw new MessagingException("Unsupported parameter of " + config.getMailetName() + ": " + name);
            }
        }
        return new MailetParameters(config);
    }

    /**
     * RFC 5321 §4.5.3.2: each step has its own time-out, by default the RFC's (5 minutes for the greeting, MAIL and
     * RCPT, 2 for the 354, 3 per data block, 10 for the reply to the final dot). {@code timeout} (milliseconds, as
     * {@code RemoteDelivery} reads it) sets every step at once; a step's own parameter (a James duration such as
     * {@code 10 minutes}) wins over both.
     */
    private static SmtpSettings.Builder stepTimeouts(MailetConfig config, SmtpSettings.Builder settings) throws MessagingException {
        if (text(config, TIMEOUT).isPresent()) {
            Duration all = Duration.ofMillis(number(config, TIMEOUT, 0));
            if (all.isZero()) {
                throw new MessagingException(TIMEOUT + " must be positive");
            }
            settings.allStepTimeouts(all);
        }
        Map<String, Function<Duration, SmtpSettings.Builder>> steps = new LinkedHashMap<>();
        steps.put(GREETING_TIMEOUT, settings::greetingTimeout);
        steps.put(COMMAND_TIMEOUT, settings::commandTimeout);
        steps.put(MAIL_TIMEOUT, settings::mailTimeout);
        steps.put(RCPT_TIMEOUT, settings::rcptTimeout);
        steps.put(DATA_TIMEOUT, settings::dataInitiationTimeout);
        steps.put(DATA_BLOCK_TIMEOUT, settings::dataBlockTimeout);
        steps.put(DATA_END_TIMEOUT, settings::dataTerminationTimeout);
        for (Map.Entry<String, Function<Duration, SmtpSettings.Builder>> step : steps.entrySet()) {
            Optional<String> value = text(config, step.getKey());
            if (value.isPresent()) {
                try {
                    step.getValue().apply(Durations.parse(step.getKey(), value.get()));
                } catch (IllegalArgumentException e) {
                    throw new MessagingException(e.getMessage(), e);
                }
            }
        }
        return settings;
    }

    /**
     * The SMTP client's settings: {@code heloName}, the step time-outs, {@code connectiontimeout} and {@code bind};
     * the trust anchors are the extension's ({@link io.github.jamesmtasts.assembly.Clients#smtpSender}).
     */
    public SmtpSettings.Builder smtpSettings() {
        return bind == null ? smtp : smtp.bindAddress(bind);
    }

    private static Optional<String> text(MailetConfig config, String name) {
        return Optional.ofNullable(config.getInitParameter(name)).map(String::trim).filter(value -> !value.isEmpty());
    }

    private static int number(MailetConfig config, String name, int defaultValue) throws MessagingException {
        return Math.toIntExact(number(config, name, (long) defaultValue));
    }

    private static long number(MailetConfig config, String name, long defaultValue) throws MessagingException {
        Optional<String> value = text(config, name);
        try {
            long parsed = value.isPresent() ? Long.parseLong(value.get()) : defaultValue;
            if (parsed < 0) {
                throw new MessagingException(name + " cannot be negative: " + parsed);
            }
            return parsed;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new MessagingException(name + " is not a number: " + value.orElse(""), e);
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Retry schedule ({@code delayTime}, {@code maxRetries}, {@code maxDnsProblemRetries}). */
    public RetrySchedule retrySchedule() {
        return retrySchedule;
    }

    /** The TCP connect time-out ({@code connectiontimeout}, milliseconds, default 60000). */
    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    /** The processor permanent failures go to ({@code bounceProcessor}); empty: James's own bounce. */
    public Optional<String> bounceProcessor() {
        return Optional.ofNullable(bounceProcessor);
    }

    /** The name sent in EHLO ({@code heloName}, default the local host name). */
    public String heloName() {
        return heloName;
    }

    /** How many mails are under delivery at the same time ({@code maxConcurrentDeliveries}). */
    public int maxConcurrentDeliveries() {
        return maxConcurrentDeliveries;
    }

    /** The global MTA-STS switch at start ({@code enforcement}: enforce, report-only, off). */
    public EnforcementMode enforcement() {
        return enforcement;
    }

    /** The global DANE switch at start ({@code dane}: on, report-only, off). */
    public DaneMode dane() {
        return dane;
    }

    /** The local address connections to MX hosts start from ({@code bind}); empty: the system chooses. */
    public Optional<InetAddress> bind() {
        return Optional.ofNullable(bind);
    }

    /** Where mail waits for delivery, new and deferred ({@code repository}, a James mail repository URL). */
    public String repository() {
        return repository;
    }
}

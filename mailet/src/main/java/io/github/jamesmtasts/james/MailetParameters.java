package io.github.jamesmtasts.james;

import io.github.jamesmtasts.delivery.DeliverySettings;
import io.github.jamesmtasts.delivery.EnforcementMode;
import io.github.jamesmtasts.delivery.RetrySchedule;
import io.github.jamesmtasts.smtp.SmtpSettings;
import io.github.jamesmtasts.trust.TrustAnchors;
import org.apache.mailet.MailetConfig;

import javax.mail.MessagingException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Iterator;
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
    static final String DELIVERY_THREADS = "deliveryThreads";
    static final String ENFORCEMENT = "enforcement";
    static final String DEFERRED_REPOSITORY = "deferredRepository";
    static final String BIND = "bind";

    /** Defaults of {@code RemoteDelivery} where it has the parameter. */
    public static final String DEFAULT_OUTGOING = "outgoing";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(180000);
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofMillis(60000);
    public static final int DEFAULT_DELIVERY_THREADS = 4;
    public static final String DEFAULT_DEFERRED_REPOSITORY = "memory://var/mail/mta-sts-deferred/";

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
    private static final Set<String> SUPPORTED = Set.of(OUTGOING, DELAY_TIME, MAX_RETRIES, MAX_DNS_PROBLEM_RETRIES, TIMEOUT,
        CONNECTION_TIMEOUT, BOUNCE_PROCESSOR, HELO_NAME, DELIVERY_THREADS, ENFORCEMENT, DEFERRED_REPOSITORY, BIND);
    /**
     * {@code RemoteDelivery} parameters that have no meaning here: TLS is decided per MX host by MTA-STS
     * (STARTTLS is always used when offered); JavaMail is not used; the message always goes to the recipients
     * an MX accepts, the others are retried or returned on their own (as {@code sendpartial=true}).
     */
    private static final Set<String> NOT_APPLICABLE = Set.of("startTLS", "sslEnable", "verifyServerIdentity", "debug",
        "usePriority", "outgoingQueue", "sendpartial");

    private final String outgoing;
    private final DeliverySettings delivery;
    private final Duration timeout;
    private final Duration connectionTimeout;
    private final String bounceProcessor;
    private final String heloName;
    private final int deliveryThreads;
    private final EnforcementMode enforcement;
    private final String deferredRepository;
    private final InetAddress bind;

    private MailetParameters(MailetConfig config) throws MessagingException {
        this.outgoing = text(config, OUTGOING).orElse(DEFAULT_OUTGOING);
        try {
            this.delivery = DeliverySettings.defaults().withRetrySchedule(RetrySchedule.parse(
                text(config, DELAY_TIME).orElse(RetrySchedule.DEFAULT_DELAY_TIME),
                number(config, MAX_RETRIES, RetrySchedule.DEFAULT_MAX_RETRIES),
                number(config, MAX_DNS_PROBLEM_RETRIES, RetrySchedule.DEFAULT_MAX_DNS_PROBLEM_RETRIES)));
        } catch (IllegalArgumentException e) {
            throw new MessagingException("Invalid " + DELAY_TIME + " or retry count: " + e.getMessage(), e);
        }
        this.timeout = Duration.ofMillis(number(config, TIMEOUT, DEFAULT_TIMEOUT.toMillis()));
        this.connectionTimeout = Duration.ofMillis(number(config, CONNECTION_TIMEOUT, DEFAULT_CONNECTION_TIMEOUT.toMillis()));
        if (timeout.isZero() || connectionTimeout.isZero()) {
            throw new MessagingException(TIMEOUT + " and " + CONNECTION_TIMEOUT + " must be positive");
        }
        this.bounceProcessor = text(config, BOUNCE_PROCESSOR).orElse(null);
        this.heloName = text(config, HELO_NAME).orElseGet(MailetParameters::localHostName);
        this.deliveryThreads = number(config, DELIVERY_THREADS, DEFAULT_DELIVERY_THREADS);
        if (deliveryThreads < 1) {
            throw new MessagingException(DELIVERY_THREADS + " must be at least 1");
        }
        String mode = text(config, ENFORCEMENT).orElse(EnforcementMode.ENFORCE.keyword());
        this.enforcement = EnforcementMode.fromKeyword(mode).orElseThrow(() -> new MessagingException(
            ENFORCEMENT + " must be enforce, report-only or off, not '" + mode + "'"));
        this.deferredRepository = text(config, DEFERRED_REPOSITORY).orElse(DEFAULT_DEFERRED_REPOSITORY);
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
     * The SMTP client's settings: {@code heloName}, {@code timeout} for every command and reply,
     * {@code connectiontimeout}, {@code bind}, and the trust anchors of the extension.
     */
    public SmtpSettings smtpSettings(TrustAnchors trustAnchors) {
        SmtpSettings.Builder settings = SmtpSettings.builder(heloName)
            .connectTimeout(connectionTimeout)
            .allStepTimeouts(timeout)
            .trustAnchors(trustAnchors);
        if (bind != null) {
            settings.bindAddress(bind);
        }
        return settings.build();
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

    /** The James mail queue the mailet puts mail in and delivers from ({@code outgoing}). */
    public String outgoing() {
        return outgoing;
    }

    /** Retry schedule ({@code delayTime}, {@code maxRetries}, {@code maxDnsProblemRetries}). */
    public DeliverySettings delivery() {
        return delivery;
    }

    /** The SMTP read time-out for each command ({@code timeout}, milliseconds, default 180000). */
    public Duration timeout() {
        return timeout;
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

    /** How many mails are delivered at the same time ({@code deliveryThreads}). */
    public int deliveryThreads() {
        return deliveryThreads;
    }

    /** The global MTA-STS switch at start ({@code enforcement}: enforce, report-only, off). */
    public EnforcementMode enforcement() {
        return enforcement;
    }

    /** The local address connections to MX hosts start from ({@code bind}); empty: the system chooses. */
    public Optional<InetAddress> bind() {
        return Optional.ofNullable(bind);
    }

    /** Where deferred mail waits for its next attempt ({@code deferredRepository}, a James mail repository URL). */
    public String deferredRepository() {
        return deferredRepository;
    }
}

package io.github.jamesmtasts.delivery;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a deferred mail is tried again, with James {@code RemoteDelivery}'s parameters and meaning:
 * {@code delayTime} is a comma-separated list of {@code [n*]duration[unit]} (unit milliseconds when
 * omitted), {@code maxRetries} the number of retries, raised to the number of delays listed, the last
 * delay repeating when it is larger; {@code maxDnsProblemRetries} the retries granted to a domain
 * without mail server before its mail bounces. Immutable.
 */
public final class RetrySchedule {
    /** James's defaults: {@code delayTime} 6 hours, {@code maxRetries} 5, {@code maxDnsProblemRetries} 0. */
    public static final String DEFAULT_DELAY_TIME = "6 hours";
    public static final int DEFAULT_MAX_RETRIES = 5;
    public static final int DEFAULT_MAX_DNS_PROBLEM_RETRIES = 0;

    private static final Pattern ENTRY = Pattern.compile("(?:(\\d+)\\s*\\*)?\\s*(\\d+)\\s*([a-zA-Z]*)");
    private static final Map<String, ChronoUnit> UNITS = units();

    private final List<Duration> delays;
    private final int maxDnsProblemRetries;

    private RetrySchedule(List<Duration> delays, int maxDnsProblemRetries) {
        this.delays = List.copyOf(delays);
        this.maxDnsProblemRetries = maxDnsProblemRetries;
    }

    public static RetrySchedule defaults() {
        return parse(DEFAULT_DELAY_TIME, DEFAULT_MAX_RETRIES, DEFAULT_MAX_DNS_PROBLEM_RETRIES);
    }

    /**
     * Reads the three parameters.
     *
     * @throws IllegalArgumentException when {@code delayTime} is malformed or a number is negative
     */
    public static RetrySchedule parse(String delayTime, int maxRetries, int maxDnsProblemRetries) {
        if (maxRetries < 0 || maxDnsProblemRetries < 0) {
            throw new IllegalArgumentException("retry counts cannot be negative");
        }
        List<Duration> listed = new ArrayList<>();
        for (String entry : delayTime.split(",")) {
            Matcher matcher = ENTRY.matcher(entry.trim());
            if (!matcher.matches()) {
                throw new IllegalArgumentException("not a delay ([n*]duration[unit]): '" + entry.trim() + "'");
            }
            int count = matcher.group(1) == null ? 1 : Integer.parseInt(matcher.group(1));
            if (count < 1) {
                throw new IllegalArgumentException("a delay repeats at least once: '" + entry.trim() + "'");
            }
            listed.addAll(Collections.nCopies(count, duration(matcher.group(2), matcher.group(3))));
        }
        List<Duration> delays = new ArrayList<>(listed);
        while (delays.size() < maxRetries) {
            delays.add(listed.get(listed.size() - 1));
        }
        return new RetrySchedule(delays, maxDnsProblemRetries);
    }

    private static Duration duration(String amount, String unitName) {
        ChronoUnit unit = unitName.isEmpty() ? ChronoUnit.MILLIS : UNITS.get(unitName.toLowerCase(Locale.ROOT));
        if (unit == null) {
            throw new IllegalArgumentException("unknown time unit '" + unitName + "'");
        }
        return Duration.of(Long.parseLong(amount), unit);
    }

    private static Map<String, ChronoUnit> units() {
        Map<String, ChronoUnit> units = new HashMap<>();
        for (String name : new String[] {"ms", "msec", "msecs", "millisecond", "milliseconds"}) {
            units.put(name, ChronoUnit.MILLIS);
        }
        for (String name : new String[] {"s", "sec", "secs", "second", "seconds"}) {
            units.put(name, ChronoUnit.SECONDS);
        }
        for (String name : new String[] {"m", "min", "mins", "minute", "minutes"}) {
            units.put(name, ChronoUnit.MINUTES);
        }
        for (String name : new String[] {"h", "hour", "hours"}) {
            units.put(name, ChronoUnit.HOURS);
        }
        for (String name : new String[] {"d", "day", "days"}) {
            units.put(name, ChronoUnit.DAYS);
        }
        return Map.copyOf(units);
    }

    /** The number of retries after the first attempt. */
    public int maxRetries() {
        return delays.size();
    }

    public int maxDnsProblemRetries() {
        return maxDnsProblemRetries;
    }

    /** The delay before each retry, first retry first. */
    public List<Duration> delays() {
        return delays;
    }

    /**
     * Whether and when to try a recipient again, given the outcome of an attempt and the retries already made.
     * Empty: do not retry (bounce it, or it was delivered). A recipient to retry bounces once the retries are
     * used up; a domain without mail server is retried {@code maxDnsProblemRetries} times.
     */
    public Optional<Duration> retryDelay(DeliveryOutcome outcome, int retriesMade) {
        int allowed;
        switch (outcome.status()) {
            case RETRY:
                allowed = maxRetries();
                break;
            case BOUNCE:
                boolean noMailServer = outcome.problem().map(DeliveryProblem::cause)
                    .filter(cause -> cause == DeliveryProblem.Cause.NO_MAIL_SERVER).isPresent();
                allowed = noMailServer ? Math.min(maxDnsProblemRetries, maxRetries()) : 0;
                break;
            default:
                allowed = 0;
        }
        return retriesMade < allowed ? Optional.of(delays.get(retriesMade)) : Optional.empty();
    }

    @Override
    public String toString() {
        return "retries " + delays + ", DNS-problem retries " + maxDnsProblemRetries;
    }
}

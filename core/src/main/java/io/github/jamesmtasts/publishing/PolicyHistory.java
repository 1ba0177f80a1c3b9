package io.github.jamesmtasts.publishing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jamesmtasts.dns.HostNames;
import io.github.jamesmtasts.mtasts.Mode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * When removing a domain's policy is safe (RFC 8461 §8.3): what each domain served before it switched to
 * {@code mode: none}, kept in one small JSON file so that it outlives restarts.
 *
 * <p>RFC 8461 §8.3: to withdraw MTA-STS a domain first serves a policy of mode {@code none} (with a new TXT
 * {@code id}), and removes the TXT record and the policy only once every policy served before has expired in
 * the senders' caches. A sender may have fetched the last policy of another mode until the switch, and keep it
 * for its {@code max_age}; an older policy with a longer {@code max_age} may outlive it. So the history keeps,
 * per domain, the longest {@code max_age} served since the domain last switched away from {@code none}, the
 * instant of the switch to {@code none}, and the safe instant of earlier withdrawals that were undone.
 *
 * <p>The file is replaced atomically (a temporary file in the same directory, forced to disk, then moved over
 * it), and only when something changed, so {@link #served} may be called for every request. Thread-safe.
 */
public final class PolicyHistory {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyHistory.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOMAINS = "domains";
    private static final String MAX_AGE = "maxAgeSeconds";
    private static final String NONE_SINCE = "noneSince";
    private static final String EARLIER_SAFE_AT = "earlierSafeAt";
    private static final String TEMPORARY_SUFFIX = ".tmp";

    private final Path file;
    private final Clock clock;
    private final Map<String, DomainHistory> domains;

    private PolicyHistory(Path file, Clock clock, Map<String, DomainHistory> domains) {
        this.file = file;
        this.clock = clock;
        this.domains = domains;
    }

    /**
     * The history kept in {@code file}; a missing file is an empty history.
     *
     * @throws UncheckedIOException if the file exists but cannot be read as a history: starting empty would
     *                              forget policies still cached by senders
     */
    public static PolicyHistory open(Path file, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        Map<String, DomainHistory> domains = new TreeMap<>();
        if (Files.exists(file)) {
            try {
                JsonNode json = JSON.readTree(file.toFile());
                Iterator<Map.Entry<String, JsonNode>> entries = json.path(DOMAINS).fields();
                while (entries.hasNext()) {
                    Map.Entry<String, JsonNode> entry = entries.next();
                    domains.put(entry.getKey(), DomainHistory.read(entry.getValue()));
                }
            } catch (IOException | RuntimeException e) {
                throw new UncheckedIOException(new IOException("unreadable MTA-STS policy history " + file + ": " + e, e));
            }
        }
        return new PolicyHistory(file, clock, domains);
    }

    /** Notes that {@code policy} is served now; the file is rewritten if this changes the domain's history. */
    public synchronized void served(PublishedPolicy policy) {
        DomainHistory before = domains.get(policy.domain());
        DomainHistory after = policy.mode() == Mode.NONE
            ? (before == null ? null : before.withdrawnAt(clock.instant()))
            : DomainHistory.serving(before, policy.maxAge());
        if (after != null && !after.equals(before)) {
            domains.put(policy.domain(), after);
            save();
        }
    }

    /**
     * RFC 8461 §8.3: from when the domain's TXT record and policy may be removed: the switch to {@code none}
     * plus the longest {@code max_age} served before it (or later, for a withdrawal undone before). Empty when
     * the domain never served a policy other than {@code none}, or still serves one. Senders that cached a policy
     * beyond its {@code max_age} are not accounted for.
     */
    public synchronized Optional<Instant> removalSafeAt(String domain) {
        return Optional.ofNullable(domains.get(HostNames.normalize(domain))).flatMap(DomainHistory::safeAt);
    }

    private void save() {
        ObjectNode json = JSON.createObjectNode();
        ObjectNode all = json.putObject(DOMAINS);
        domains.forEach((domain, history) -> history.write(all.putObject(domain)));
        Path temporary = null;
        try {
            Path directory = file.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            temporary = Files.createTempFile(directory, file.getFileName().toString() + ".", TEMPORARY_SUFFIX);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("Cannot store the MTA-STS policy history in {}: it is kept in memory only until restart", file, e);
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    LOG.trace("Cannot delete {}", temporary, ignored);
                }
            }
        }
    }

    /** One domain's history. Immutable. */
    private static final class DomainHistory {
        /** The longest max_age served since the domain last switched away from none. */
        private final Duration maxAge;
        /** When the domain switched to none; null while it serves another mode. */
        private final Instant noneSince;
        /** When the policies of withdrawals undone before have expired; null if none was. */
        private final Instant earlierSafeAt;

        private DomainHistory(Duration maxAge, Instant noneSince, Instant earlierSafeAt) {
            this.maxAge = maxAge;
            this.noneSince = noneSince;
            this.earlierSafeAt = earlierSafeAt;
        }

        /** The history once a policy of another mode than none, of {@code maxAge}, is served. */
        static DomainHistory serving(DomainHistory before, Duration maxAge) {
            if (before == null) {
                return new DomainHistory(maxAge, null, null);
            }
            if (before.noneSince == null) {
                return new DomainHistory(max(before.maxAge, maxAge), null, before.earlierSafeAt);
            }
            // A withdrawal undone: what it had to wait for still has to expire before the next one.
            return new DomainHistory(maxAge, null, before.safeAt().orElseThrow());
        }

        /** The history once a policy of mode none is served at {@code now}. */
        DomainHistory withdrawnAt(Instant now) {
            return noneSince != null ? this : new DomainHistory(maxAge, now, earlierSafeAt);
        }

        Optional<Instant> safeAt() {
            if (noneSince == null) {
                return Optional.empty();
            }
            // RFC 8461 §8.3: remove once every policy served before has expired in the senders' caches.
            Instant safe = noneSince.plus(maxAge);
            return Optional.of(earlierSafeAt != null && earlierSafeAt.isAfter(safe) ? earlierSafeAt : safe);
        }

        private static Duration max(Duration a, Duration b) {
            return a.compareTo(b) >= 0 ? a : b;
        }

        static DomainHistory read(JsonNode json) {
            if (!json.path(MAX_AGE).canConvertToLong()) {
                throw new IllegalArgumentException("no " + MAX_AGE + " in " + json);
            }
            return new DomainHistory(Duration.ofSeconds(json.path(MAX_AGE).asLong()),
                instant(json, NONE_SINCE), instant(json, EARLIER_SAFE_AT));
        }

        void write(ObjectNode json) {
            json.put(MAX_AGE, maxAge.getSeconds());
            if (noneSince != null) {
                json.put(NONE_SINCE, noneSince.toString());
            }
            if (earlierSafeAt != null) {
                json.put(EARLIER_SAFE_AT, earlierSafeAt.toString());
            }
        }

        private static Instant instant(JsonNode json, String field) {
            return json.hasNonNull(field) ? Instant.parse(json.get(field).asText()) : null;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof DomainHistory)) {
                return false;
            }
            DomainHistory other = (DomainHistory) o;
            return maxAge.equals(other.maxAge) && Objects.equals(noneSince, other.noneSince)
                && Objects.equals(earlierSafeAt, other.earlierSafeAt);
        }

        @Override
        public int hashCode() {
            return Objects.hash(maxAge, noneSince, earlierSafeAt);
        }
    }
}

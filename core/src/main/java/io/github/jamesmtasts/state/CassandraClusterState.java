package io.github.jamesmtasts.state;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import io.github.jamesmtasts.delivery.DaneMode;
import io.github.jamesmtasts.delivery.DomainOverride;
import io.github.jamesmtasts.delivery.EnforcementMode;
import io.github.jamesmtasts.dns.HostNames;
import io.github.jamesmtasts.policy.CachedPolicy;
import io.github.jamesmtasts.tlsrpt.counting.PeriodCounts;
import io.github.jamesmtasts.tlsrpt.counting.PolicyCounts;
import io.github.jamesmtasts.tlsrpt.counting.PolicyCountsJson;
import io.github.jamesmtasts.tlsrpt.counting.ReportPeriod;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The {@link ClusterState} of a distributed James, in a Cassandra keyspace of its own, which {@link #open} creates
 * with its tables if they are missing ({@code CREATE ... IF NOT EXISTS}, so every node may open it; an operator may
 * also create the keyspace beforehand with the replication of their choice). Reads and writes are at {@code QUORUM},
 * so what one node wrote the next read of any node sees; the report claim is a lightweight transaction
 * ({@code INSERT ... IF NOT EXISTS}, Paxos at {@code SERIAL}), and so is the claim of a delivery attempt. Each
 * claim expires after its lease (a row's TTL).
 *
 * <p>Cassandra keeps {@code timestamp}s to the millisecond: an override's expiry is stored so.
 */
public final class CassandraClusterState implements ClusterState {
    private static final Duration SCHEMA_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern KEYSPACE = Pattern.compile("[a-z][a-z0-9_]{0,47}");
    private static final String GLOBAL = "mta-sts";
    private static final String DANE = "dane";

    private final CqlSession session;
    private final Clock clock;
    private static final Logger LOGGER = LoggerFactory.getLogger(CassandraClusterState.class);

    private final PreparedStatement selectSwitches;
    private final PreparedStatement insertSwitch;
    private final PreparedStatement selectOverrides;
    private final PreparedStatement selectOverride;
    private final PreparedStatement insertOverride;
    private final PreparedStatement deleteOverride;
    private final PreparedStatement insertCounts;
    private final PreparedStatement selectCounts;
    private final PreparedStatement selectPeriods;
    private final PreparedStatement deleteCounts;
    private final PreparedStatement insertClaim;
    private final PreparedStatement insertPolicy;
    private final PreparedStatement updatePolicy;
    private final PreparedStatement selectPolicies;
    private final PreparedStatement insertDeliveryClaim;

    private CassandraClusterState(CqlSession session, String keyspace, Clock clock) {
        this.session = session;
        this.clock = clock;
        this.selectSwitches = prepare("SELECT name, mode FROM " + keyspace + ".switches");
        this.insertSwitch = prepare("INSERT INTO " + keyspace + ".switches (name, mode) VALUES (?, ?)");
        this.selectOverrides = prepare("SELECT domain, mode, dane, expires FROM " + keyspace + ".domain_overrides");
        this.selectOverride = prepare("SELECT domain FROM " + keyspace + ".domain_overrides WHERE domain = ?");
        this.insertOverride = prepare("INSERT INTO " + keyspace + ".domain_overrides (domain, mode, dane, expires) VALUES (?, ?, ?, ?)");
        this.deleteOverride = prepare("DELETE FROM " + keyspace + ".domain_overrides WHERE domain = ?");
        this.insertCounts = prepare("INSERT INTO " + keyspace + ".tlsrpt_counts (period_start, period_seconds, policy_domain, node, policies)"
            + " VALUES (?, ?, ?, ?, ?)");
        this.selectCounts = prepare("SELECT node, policies FROM " + keyspace + ".tlsrpt_counts WHERE period_start = ? AND period_seconds = ?");
        this.selectPeriods = prepare("SELECT DISTINCT period_start, period_seconds FROM " + keyspace + ".tlsrpt_counts");
        this.deleteCounts = prepare("DELETE FROM " + keyspace + ".tlsrpt_counts WHERE period_start = ? AND period_seconds = ? AND policy_domain = ?");
        this.insertClaim = conditional("INSERT INTO " + keyspace + ".tlsrpt_claims"
            + " (period_start, period_seconds, policy_domain, node) VALUES (?, ?, ?, ?) IF NOT EXISTS USING TTL ?");
        this.insertPolicy = conditional("INSERT INTO " + keyspace + ".policies (domain, id, fetched, policy) VALUES (?, ?, ?, ?) IF NOT EXISTS");
        this.updatePolicy = conditional("UPDATE " + keyspace + ".policies SET id = ?, fetched = ?, policy = ? WHERE domain = ? IF fetched < ?");
        this.selectPolicies = prepare("SELECT domain, id, fetched, policy FROM " + keyspace + ".policies");
        this.insertDeliveryClaim = conditional("INSERT INTO " + keyspace + ".delivery_claims (mail_key, due, node)"
            + " VALUES (?, ?, ?) IF NOT EXISTS USING TTL ?");
    }

    /** A lightweight transaction (Paxos): its condition is decided once for every node. */
    private PreparedStatement conditional(String query) {
        return session.prepare(SimpleStatement.builder(query)
            .setConsistencyLevel(DefaultConsistencyLevel.QUORUM)
            .setSerialConsistencyLevel(DefaultConsistencyLevel.SERIAL)
            .build());
    }

    /**
     * The state in {@code keyspace} (created with SimpleStrategy and {@code replicationFactor} if missing), through
     * {@code session}, which the caller keeps and closes.
     */
    public static CassandraClusterState open(CqlSession session, String keyspace, int replicationFactor, Clock clock) throws IOException {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(clock, "clock");
        if (!KEYSPACE.matcher(keyspace).matches()) {
            throw new IllegalArgumentException("a keyspace name is a lower-case letter, then up to 47 lower-case letters, digits or '_': " + keyspace);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor " + replicationFactor);
        }
        return cql(() -> {
            createSchema(session, keyspace, replicationFactor);
            return new CassandraClusterState(session, keyspace, clock);
        });
    }

    private static void createSchema(CqlSession session, String keyspace, int replicationFactor) {
        schema(session, "CREATE KEYSPACE IF NOT EXISTS " + keyspace
            + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': " + replicationFactor + "}");
        schema(session, "CREATE TABLE IF NOT EXISTS " + keyspace + ".switches (name text PRIMARY KEY, mode text)");
        schema(session, "CREATE TABLE IF NOT EXISTS " + keyspace
            + ".domain_overrides (domain text PRIMARY KEY, mode text, dane text, expires timestamp)");
        schema(session, "CREATE TABLE IF NOT EXISTS " + keyspace + ".tlsrpt_counts (period_start timestamp, period_seconds bigint,"
            + " policy_domain text, node text, policies text, PRIMARY KEY ((period_start, period_seconds), policy_domain, node))");
        schema(session, "CREATE TABLE IF NOT EXISTS " + keyspace + ".tlsrpt_claims (period_start timestamp, period_seconds bigint,"
            + " policy_domain text, node text, PRIMARY KEY ((period_start, period_seconds, policy_domain)))");
        schema(session, "CREATE TABLE IF NOT EXISTS " + keyspace
            + ".policies (domain text PRIMARY KEY, id text, fetched timestamp, policy text)");
        schema(session, "CREATE TABLE IF NOT EXISTS " + keyspace + ".delivery_claims (mail_key text, due timestamp,"
            + " node text, PRIMARY KEY ((mail_key, due)))");
    }

    /** A schema change, with time for the nodes to agree on it even on a busy machine. */
    private static void schema(CqlSession session, String cql) {
        session.execute(SimpleStatement.newInstance(cql).setTimeout(SCHEMA_TIMEOUT));
    }

    @Override
    public EnforcementState enforcement() throws IOException {
        return cql(() -> {
            EnforcementState state = EnforcementState.empty();
            for (Row row : session.execute(selectSwitches.bind())) {
                String mode = row.getString("mode");
                if (GLOBAL.equals(row.getString("name"))) {
                    state = EnforcementMode.fromKeyword(mode).map(state::withGlobal).orElse(state);
                } else if (DANE.equals(row.getString("name"))) {
                    state = DaneMode.fromKeyword(mode).map(state::withDane).orElse(state);
                }
            }
            for (Row row : session.execute(selectOverrides.bind())) {
                Optional<EnforcementMode> mode = Optional.ofNullable(row.getString("mode")).flatMap(DomainOverride::modeFromKeyword);
                Optional<DaneMode> dane = Optional.ofNullable(row.getString("dane")).flatMap(DaneMode::fromKeyword);
                if (mode.isPresent() || dane.isPresent()) {
                    state = state.withOverride(row.getString("domain"),
                        DomainOverride.of(mode, dane, Optional.ofNullable(row.getInstant("expires"))));
                }
            }
            return state.activeAt(clock.instant());
        });
    }

    @Override
    public void setGlobal(EnforcementMode mode) throws IOException {
        execute(insertSwitch.bind(GLOBAL, mode.keyword()));
    }

    @Override
    public void setDane(DaneMode mode) throws IOException {
        execute(insertSwitch.bind(DANE, mode.keyword()));
    }

    @Override
    public void putOverride(String domain, DomainOverride override) throws IOException {
        execute(insertOverride.bind(HostNames.normalize(domain), override.keyword().orElse(null),
            override.dane().map(DaneMode::keyword).orElse(null), override.expires().orElse(null)));
    }

    @Override
    public boolean removeOverride(String domain) throws IOException {
        String key = HostNames.normalize(domain);
        return cql(() -> {
            boolean present = session.execute(selectOverride.bind(key)).one() != null;
            session.execute(deleteOverride.bind(key));
            return present;
        });
    }

    @Override
    public void publishCounts(NodeName node, PeriodCounts totals) throws IOException {
        // One partition per period: an unlogged batch of its rows is one write, applied together.
        BatchStatementBuilder batch = BatchStatement.builder(BatchType.UNLOGGED)
            .setConsistencyLevel(DefaultConsistencyLevel.QUORUM)
            .setIdempotence(true);
        for (String domain : totals.policyDomains()) {
            String policies = PolicyCountsJson.mapper().writeValueAsString(PolicyCountsJson.policies(totals.forDomain(domain)));
            batch.addStatement(insertCounts.bind(totals.period().start(), totals.period().length().getSeconds(), domain, node.value(), policies));
        }
        if (!totals.isEmpty()) {
            execute(batch.build());
        }
    }

    @Override
    public PeriodCounts counts(ReportPeriod period) throws IOException {
        return countsWhere(period, Optional.empty());
    }

    @Override
    public PeriodCounts countsOf(NodeName node, ReportPeriod period) throws IOException {
        // The node is the last clustering column: its rows are picked from the period's partition here.
        return countsWhere(period, Optional.of(node.value()));
    }

    private PeriodCounts countsWhere(ReportPeriod period, Optional<String> node) throws IOException {
        return cql(() -> {
            List<PolicyCounts> all = new ArrayList<>();
            for (Row row : session.execute(selectCounts.bind(period.start(), period.length().getSeconds()))) {
                if (node.isEmpty() || node.get().equals(row.getString("node"))) {
                    all.addAll(PolicyCountsJson.readPolicies(PolicyCountsJson.mapper().readTree(row.getString("policies"))));
                }
            }
            return PeriodCounts.of(period, all);
        });
    }

    @Override
    public List<ReportPeriod> periods() throws IOException {
        return cql(() -> {
            TreeSet<ReportPeriod> periods = new TreeSet<>();
            for (Row row : session.execute(selectPeriods.bind())) {
                periods.add(ReportPeriod.of(row.getInstant("period_start"), Duration.ofSeconds(row.getLong("period_seconds"))));
            }
            return List.copyOf(periods);
        });
    }

    @Override
    public void forgetCounts(ReportPeriod period, String policyDomain) throws IOException {
        execute(deleteCounts.bind(period.start(), period.length().getSeconds(), policyDomain));
    }

    /** The claim's row lives {@code lease}: Cassandra then drops it, and the claim is free. */
    @Override
    public boolean claimReport(ReportPeriod period, String policyDomain, NodeName node, Duration lease) throws IOException {
        return claim(insertClaim.bind(period.start(), period.length().getSeconds(), HostNames.normalize(policyDomain),
            node.value(), ttl(lease)), node);
    }

    /** The claim's row lives {@code lease}: Cassandra then drops it, and the claim is free. */
    @Override
    public boolean claimDelivery(String mailKey, Instant due, NodeName node, Duration lease) throws IOException {
        return claim(insertDeliveryClaim.bind(mailKey, due.truncatedTo(ChronoUnit.MILLIS), node.value(), ttl(lease)), node);
    }

    /** A TTL in whole seconds, at least one. */
    private static int ttl(Duration lease) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, lease.toSeconds()));
    }

    private boolean claim(Statement<?> insert, NodeName node) throws IOException {
        return cql(() -> {
            ResultSet result = session.execute(insert);
            // Not applied: the row shows who holds the claim; that is this node when an earlier try went through unseen.
            return result.wasApplied() || node.value().equals(result.one().getString("node"));
        });
    }

    @Override
    public void offerPolicy(CachedPolicy policy) throws IOException {
        // Cassandra keeps milliseconds: compared at the precision it stores.
        Instant fetched = policy.fetched().truncatedTo(ChronoUnit.MILLIS);
        String text = policy.policy().text();
        cql(() -> {
            if (!session.execute(insertPolicy.bind(policy.domain(), policy.id(), fetched, text)).wasApplied()) {
                session.execute(updatePolicy.bind(policy.id(), fetched, text, policy.domain(), fetched));
            }
            return null;
        });
    }

    @Override
    public List<CachedPolicy> policies() throws IOException {
        Instant now = clock.instant();
        return cql(() -> {
            List<CachedPolicy> policies = new ArrayList<>();
            for (Row row : session.execute(selectPolicies.bind())) {
                try {
                    CachedPolicy policy = CachedPolicy.restore(row.getString("domain"), row.getString("id"),
                        row.getString("policy"), row.getInstant("fetched"));
                    if (policy.isValidAt(now)) {
                        policies.add(policy);
                    }
                } catch (IllegalArgumentException e) {
                    LOGGER.warn("Ignoring the unreadable MTA-STS policy of {} in Cassandra: {}", row.getString("domain"), e.getMessage());
                }
            }
            return policies;
        });
    }

    private PreparedStatement prepare(String query) {
        return session.prepare(SimpleStatement.builder(query)
            .setConsistencyLevel(DefaultConsistencyLevel.QUORUM)
            .setIdempotence(true)
            .build());
    }

    private void execute(Statement<?> statement) throws IOException {
        cql(() -> session.execute(statement));
    }

    private static <T> T cql(Cql<T> work) throws IOException {
        try {
            return work.run();
        } catch (DriverException e) {
            throw new IOException("Cassandra: " + e.getMessage(), e);
        }
    }

    /** Work against Cassandra, whose driver errors become {@link IOException}s. */
    private interface Cql<T> {
        T run() throws IOException;
    }

    @Override
    public String toString() {
        return "CassandraClusterState " + session.getName();
    }
}

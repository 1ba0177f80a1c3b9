package io.github.jamesmtasts.state;

import com.datastax.oss.driver.api.core.CqlSession;
import io.github.jamesmtasts.testkit.CassandraServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The contract against a real one-node Cassandra; each node its own CQL session, each test its own keyspace. */
@Tag("cassandra")
class CassandraClusterStateTest extends ClusterStateContract {
    private static final AtomicInteger KEYSPACES = new AtomicInteger();
    private static CassandraServer server;

    private final List<CqlSession> sessions = new ArrayList<>();
    private String keyspace;

    @BeforeAll
    static void startCassandra() {
        server = CassandraServer.start();
        System.out.println("Cassandra answered CQL after " + server.startup());
    }

    @AfterAll
    static void stopCassandra() {
        server.close();
    }

    @BeforeEach
    void newKeyspace() {
        keyspace = "mta_sts_" + KEYSPACES.incrementAndGet();
    }

    @AfterEach
    void closeSessions() {
        sessions.forEach(CqlSession::close);
    }

    @Override
    ClusterState open(Clock clock) throws Exception {
        CqlSession session = server.newSession();
        sessions.add(session);
        return CassandraClusterState.open(session, keyspace, 1, clock);
    }
}

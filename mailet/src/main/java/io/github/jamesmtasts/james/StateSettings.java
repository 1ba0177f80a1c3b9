package io.github.jamesmtasts.james;

import io.github.jamesmtasts.state.NodeName;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the state the nodes of a cluster share is kept ({@code state.*} of {@code conf/mta-sts.properties}): in
 * files under the James home ({@code state.store=file}, one node) or in Cassandra ({@code state.store=cassandra}),
 * this node's name, and how often it reads the admin's switches back. Immutable.
 */
public final class StateSettings {
    /** The kinds of store. */
    public enum Store { FILE, CASSANDRA }

    private final Store store;
    private final NodeName node;
    private final Duration refreshInterval;
    private final Path enforcementDirectory;
    private final Path tlsRptDirectory;
    private final List<InetSocketAddress> contactPoints;
    private final String datacenter;
    private final String keyspace;
    private final int replicationFactor;
    private final Optional<Duration> repositorySweep;

    StateSettings(Store store, NodeName node, Duration refreshInterval, Path enforcementDirectory, Path tlsRptDirectory,
                  List<InetSocketAddress> contactPoints, String datacenter, String keyspace, int replicationFactor,
                  Optional<Duration> repositorySweep) {
        this.store = Objects.requireNonNull(store, "store");
        this.node = Objects.requireNonNull(node, "node");
        this.refreshInterval = Objects.requireNonNull(refreshInterval, "refreshInterval");
        this.enforcementDirectory = Objects.requireNonNull(enforcementDirectory, "enforcementDirectory");
        this.tlsRptDirectory = Objects.requireNonNull(tlsRptDirectory, "tlsRptDirectory");
        this.contactPoints = List.copyOf(contactPoints);
        this.datacenter = Objects.requireNonNull(datacenter, "datacenter");
        this.keyspace = Objects.requireNonNull(keyspace, "keyspace");
        this.replicationFactor = replicationFactor;
        this.repositorySweep = Objects.requireNonNull(repositorySweep, "repositorySweep");
        if (store == Store.CASSANDRA && this.contactPoints.isEmpty()) {
            throw new IllegalArgumentException("state.store=cassandra needs state.cassandra.contactPoints (host:port, ...)");
        }
    }

    public Store store() {
        return store;
    }

    /** This node's name: its own counts, its report claims. */
    public NodeName node() {
        return node;
    }

    /** How often the admin's switches are read back from the store. */
    public Duration refreshInterval() {
        return refreshInterval;
    }

    /** With the file store: where {@code enforcement.json} is ({@code var/mta-sts}). */
    public Path enforcementDirectory() {
        return enforcementDirectory;
    }

    /** With the file store: where the TLS-RPT counts and claims are ({@code tlsrpt.directory}). */
    public Path tlsRptDirectory() {
        return tlsRptDirectory;
    }

    public List<InetSocketAddress> contactPoints() {
        return contactPoints;
    }

    public String datacenter() {
        return datacenter;
    }

    public String keyspace() {
        return keyspace;
    }

    /** The replication factor of the keyspace when the extension creates it. */
    public int replicationFactor() {
        return replicationFactor;
    }

    /**
     * With {@code state.sharedRepository=true}, every node sees the delivery mailet's repository: how often this node
     * looks in it for mail the other nodes keep. Empty when each node has a repository of its own.
     */
    public Optional<Duration> repositorySweep() {
        return repositorySweep;
    }

    @Override
    public String toString() {
        return store == Store.FILE
            ? "file store in " + enforcementDirectory + " and " + tlsRptDirectory + ", node " + node
            + repositorySweep.map(sweep -> ", delivery repository shared, swept every " + sweep).orElse("")
            : "Cassandra " + contactPoints + " datacenter " + datacenter + " keyspace " + keyspace + ", node " + node
            + repositorySweep.map(sweep -> ", delivery repository shared, swept every " + sweep).orElse("");
    }
}

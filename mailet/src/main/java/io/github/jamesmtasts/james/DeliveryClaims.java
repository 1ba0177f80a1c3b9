package io.github.jamesmtasts.james;

import io.github.jamesmtasts.state.ClusterState;
import io.github.jamesmtasts.state.NodeName;
import org.apache.james.mailrepository.api.MailKey;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Who makes each delivery attempt of a mail in the delivery mailet's repository. Alone (each node has a repository
 * of its own, the default) this node makes all of them. When every node sees the repository
 * ({@code state.sharedRepository=true}, as a {@code cassandra://} repository on James's distributed server), every
 * node looks in it every {@link #sweep()} and each attempt is claimed in the {@link ClusterState} first: one node
 * makes it, no mail is sent twice by two live nodes, and the mail a node leaves behind when it dies is taken up by
 * another at its due time (or, when it died during the attempt, once its {@link #LEASE} is over).
 */
final class DeliveryClaims {
    /**
     * How long a claimed attempt is this node's alone: longer than any attempt lasts (RFC 5321 §4.5.3.2's timeouts,
     * summed over the MX hosts tried), short enough for the mail of a node that died during its attempt.
     */
    static final Duration LEASE = Duration.ofMinutes(30);

    private final Optional<ClusterState> state;
    private final NodeName node;
    private final Optional<Duration> sweep;

    private DeliveryClaims(Optional<ClusterState> state, NodeName node, Optional<Duration> sweep) {
        this.state = state;
        this.node = Objects.requireNonNull(node, "node");
        this.sweep = sweep;
    }

    /** A repository of this node's own: every attempt is this node's. */
    static DeliveryClaims alone(NodeName node) {
        return new DeliveryClaims(Optional.empty(), node, Optional.empty());
    }

    /** A repository every node sees, swept every {@code sweep}, attempts claimed in {@code state}. */
    static DeliveryClaims shared(ClusterState state, NodeName node, Duration sweep) {
        return new DeliveryClaims(Optional.of(state), node, Optional.of(sweep));
    }

    /** How often the repository is looked through for mail other nodes keep; empty when it is this node's own. */
    Optional<Duration> sweep() {
        return sweep;
    }

    boolean isShared() {
        return state.isPresent();
    }

    /** Whether this node makes the attempt of the mail of {@code key} due at {@code due} (blocking on a shared store). */
    boolean claim(MailKey key, Instant due) throws IOException {
        return state.isEmpty() || state.get().claimDelivery(key.asString(), due, node, LEASE);
    }

    @Override
    public String toString() {
        return state.isPresent() ? "shared repository, node " + node + ", swept every " + sweep.get() : "repository of this node's own";
    }
}

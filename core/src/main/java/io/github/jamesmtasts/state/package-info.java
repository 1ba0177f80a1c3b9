/**
 * What the James servers of a cluster share, behind one small interface, {@link io.github.jamesmtasts.state.ClusterState}:
 * the admin's enforcement switches and per-domain overrides with their expiry
 * ({@link io.github.jamesmtasts.state.EnforcementState}), the TLS-RPT counts of every node, and the claim that lets
 * exactly one node send each report. {@link io.github.jamesmtasts.state.FileClusterState} keeps it in files for a
 * single server, as James's {@code var/mta-sts/} always has; {@link io.github.jamesmtasts.state.CassandraClusterState}
 * keeps it in Cassandra for a distributed James.
 *
 * <p>Counts are shared as totals, not additions. Each node writes, for each report period and policy domain, one row
 * of its own ({@link io.github.jamesmtasts.state.NodeName}) holding everything it counted there so far, overwriting
 * its previous row; the report sums the rows of all nodes. A Cassandra counter column would take additions instead,
 * but a counter update is not idempotent: when one times out the client cannot know whether it was applied, and
 * retrying it may count the same sessions twice. Overwriting a node's own row is idempotent, so it can be retried
 * freely, and no two nodes ever write the same row.
 *
 * <p>Which node sends a report is decided by a claim per (period, policy domain): the first claimer wins, the others
 * see the winner (in Cassandra a lightweight transaction, {@code INSERT ... IF NOT EXISTS}; in files a hard link,
 * which fails when the claim exists). A node that retries its own claim finds its name on it and still wins.
 *
 * <p>In James, {@link io.github.jamesmtasts.state.SharedEnforcement} keeps a node's switches in step with the state
 * (a change is stored first, every node reads it back every few seconds), and
 * {@link io.github.jamesmtasts.state.PublishedCounts} is a node's TLS-RPT counts in it.
 */
package io.github.jamesmtasts.state;

package io.github.jamesmtasts.state;

import io.github.jamesmtasts.tlsrpt.counting.PeriodCounts;
import io.github.jamesmtasts.tlsrpt.counting.ReportPeriod;
import io.github.jamesmtasts.tlsrpt.counting.ResultAggregator;
import io.github.jamesmtasts.tlsrpt.counting.Results;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One node's counts through {@link PublishedCounts}, over the file state, with restarts and failed writes. */
class PublishedCountsTest {
    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);
    private static final ReportPeriod MAY_1 = ReportPeriod.containing(NOON, DAY);
    private static final NodeName NODE_A = NodeName.of("james-a");
    private static final NodeName NODE_B = NodeName.of("james-b");

    @TempDir
    Path directory;

    @Test
    void aRestartedNodeGoesOnFromWhatItPublishedAndTheOtherNodesCountsAreAdded() throws Exception {
        FileClusterState state = new FileClusterState(directory, Clock.systemUTC());
        ResultAggregator beforeKill = new ResultAggregator(DAY, new PublishedCounts(state, NODE_A));
        beforeKill.record(Results.success(NOON, "example.net"));
        beforeKill.record(Results.success(NOON, "example.net"));
        beforeKill.persist();
        ResultAggregator onB = new ResultAggregator(DAY, new PublishedCounts(state, NODE_B));
        onB.record(Results.success(NOON, "example.net"));
        onB.persist();

        ResultAggregator afterRestart = new ResultAggregator(DAY, new PublishedCounts(new FileClusterState(directory, Clock.systemUTC()), NODE_A));
        afterRestart.record(Results.success(NOON, "example.net"));
        afterRestart.persist();

        assertThat(state.countsOf(NODE_A, MAY_1).forDomain("example.net").get(0).successful()).isEqualTo(3);
        assertThat(new PublishedCounts(state, NODE_B).load(MAY_1).forDomain("example.net").get(0).successful()).isEqualTo(4);
    }

    @Test
    void aWriteThatFailedAfterItWasAppliedIsNotCountedTwice() throws Exception {
        FailingOnce state = new FailingOnce(new FileClusterState(directory, Clock.systemUTC()));
        ResultAggregator aggregator = new ResultAggregator(DAY, new PublishedCounts(state, NODE_A));
        aggregator.record(Results.success(NOON, "example.net"));
        assertThatThrownBy(aggregator::persist).isInstanceOf(IOException.class);
        aggregator.record(Results.success(NOON, "example.net"));
        aggregator.persist();
        aggregator.persist();

        assertThat(state.countsOf(NODE_A, MAY_1).forDomain("example.net").get(0).successful()).isEqualTo(2);
    }

    @Test
    void aDomainAnotherNodeReportedAndForgotIsNotWrittenBack() throws Exception {
        FileClusterState state = new FileClusterState(directory, Clock.systemUTC());
        PublishedCounts onA = new PublishedCounts(state, NODE_A);
        ResultAggregator aggregator = new ResultAggregator(DAY, onA);
        aggregator.record(Results.success(NOON, "example.net"));
        aggregator.persist();
        new PublishedCounts(state, NODE_B).remove(MAY_1, "example.net");

        aggregator.record(Results.success(NOON, "example.org"));
        aggregator.persist();

        assertThat(onA.load(MAY_1).policyDomains()).containsExactly("example.org");
    }

    /** A state whose first publication is applied and then reported as failed, as a write timing out would be. */
    private static final class FailingOnce extends ForwardingClusterState {
        private boolean failed;

        FailingOnce(ClusterState state) {
            super(state);
        }

        @Override
        public void publishCounts(NodeName node, PeriodCounts totals) throws IOException {
            super.publishCounts(node, totals);
            if (!failed) {
                failed = true;
                throw new IOException("timed out, applied all the same");
            }
        }
    }
}

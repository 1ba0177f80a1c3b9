package io.github.jamesmtasts.testkit;

import com.datastax.oss.driver.api.core.CqlSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("cassandra")
class CassandraServerTest {
    @Test
    void answersCqlOnLoopbackAndForgetsEverythingWhenClosed() {
        CassandraServer server = CassandraServer.start();
        try (CqlSession session = server.newSession()) {
            assertThat(server.contactPoint().getAddress().isLoopbackAddress()).isTrue();
            assertThat(session.execute("SELECT release_version FROM system.local").one().getString(0)).startsWith("5.0.");
            System.out.println("Cassandra started in " + server.startup());
        } finally {
            server.close();
        }
    }
}

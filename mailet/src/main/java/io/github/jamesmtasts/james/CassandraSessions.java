package io.github.jamesmtasts.james;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;

import java.io.IOException;
import java.time.Duration;

/**
 * The extension's own CQL session (DataStax driver 4.15.0, which James 3.8.1 ships), from {@code state.cassandra.*}.
 * Requests get 10 seconds instead of the driver's 2 (a busy node answers slower; they run off the delivery path),
 * connecting and schema metadata 20 seconds.
 */
final class CassandraSessions {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private CassandraSessions() {
    }

    static CqlSession open(StateSettings settings) throws IOException {
        try {
            return CqlSession.builder()
                .addContactPoints(settings.contactPoints())
                .withLocalDatacenter(settings.datacenter())
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                    .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
                    .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, TIMEOUT)
                    .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, TIMEOUT)
                    .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, TIMEOUT)
                    .build())
                .build();
        } catch (DriverException e) {
            throw new IOException("Cassandra at " + settings.contactPoints() + ": " + e.getMessage(), e);
        }
    }
}

package io.github.jamesmtasts.james.webadmin;

import io.github.jamesmtasts.delivery.DomainOverride;
import io.github.jamesmtasts.delivery.Enforcement;
import io.github.jamesmtasts.delivery.EnforcementMode;
import io.github.jamesmtasts.state.ClusterState;
import io.github.jamesmtasts.state.FileClusterState;
import io.github.jamesmtasts.state.ForwardingClusterState;
import io.github.jamesmtasts.state.SharedEnforcement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spark.Service;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The enforcement routes over HTTP on loopback, through the file state: what cannot be stored is not made. */
class EnforcementRoutesTest {
    @TempDir
    Path directory;

    private final List<SharedEnforcement> started = new ArrayList<>();
    private Service service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.stop();
            service.awaitStop();
        }
        started.forEach(SharedEnforcement::close);
    }

    @Test
    void aChangeThatCannotBeStoredIsNotMade() throws Exception {
        FileClusterState files = new FileClusterState(directory, Clock.systemUTC());
        files.putOverride("kept.example", DomainOverride.of(EnforcementMode.OFF, Optional.empty()));
        SharedEnforcement shared = start(new ForwardingClusterState(files) {
            @Override
            public void setGlobal(EnforcementMode mode) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void putOverride(String domain, DomainOverride override) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public boolean removeOverride(String domain) throws IOException {
                throw new IOException("disk full");
            }
        });

        assertThat(call("PUT", "/mta-sts/enforcement", "{\"mode\":\"off\"}").statusCode()).isEqualTo(500);
        assertThat(call("PUT", "/mta-sts/overrides/new.example", "{\"mode\":\"testing\"}").statusCode()).isEqualTo(500);
        assertThat(call("DELETE", "/mta-sts/overrides/kept.example", null).statusCode()).isEqualTo(500);

        assertThat(shared.enforcement().global()).isEqualTo(EnforcementMode.ENFORCE);
        assertThat(shared.enforcement().overrides()).containsOnlyKeys("kept.example");
    }

    @Test
    void aStoredChangeIsReadBackAtTheNextStart() throws Exception {
        start(new FileClusterState(directory, Clock.systemUTC()));

        assertThat(call("PUT", "/mta-sts/enforcement", "{\"mode\":\"report-only\"}").statusCode()).isEqualTo(200);
        assertThat(call("PUT", "/mta-sts/overrides/Broken.Example.", "{\"mode\":\"off\",\"ttl\":\"1h\"}").statusCode()).isEqualTo(200);
        assertThat(call("DELETE", "/mta-sts/overrides/never.example", null).statusCode()).isEqualTo(404);

        SharedEnforcement next = SharedEnforcement.start(new FileClusterState(directory, Clock.systemUTC()),
            new Enforcement(EnforcementMode.ENFORCE, Clock.systemUTC()), Duration.ofHours(1));
        started.add(next);
        Enforcement restarted = next.enforcement();
        assertThat(restarted.global()).isEqualTo(EnforcementMode.REPORT_ONLY);
        assertThat(restarted.modeFor("broken.example")).isEqualTo(EnforcementMode.OFF);
    }

    private SharedEnforcement start(ClusterState state) throws IOException {
        SharedEnforcement shared = SharedEnforcement.start(state, new Enforcement(EnforcementMode.ENFORCE, Clock.systemUTC()),
            Duration.ofHours(1));
        started.add(shared);
        service = Service.ignite().ipAddress("127.0.0.1").port(0);
        new EnforcementRoutes(shared).define(service);
        service.init();
        service.awaitInitialization();
        return shared;
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}

package io.github.jamesmtasts.james.webadmin;

import io.github.jamesmtasts.delivery.DomainOverride;
import io.github.jamesmtasts.delivery.Enforcement;
import io.github.jamesmtasts.delivery.EnforcementMode;
import io.github.jamesmtasts.james.EnforcementFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spark.Service;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The enforcement routes over HTTP on loopback: what cannot be saved is not made. */
class EnforcementRoutesTest {
    @TempDir
    Path directory;

    private final Enforcement enforcement = new Enforcement(EnforcementMode.ENFORCE, Clock.systemUTC());
    private Service service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.stop();
            service.awaitStop();
        }
    }

    @Test
    void aChangeThatCannotBeSavedIsNotMade() throws Exception {
        // The file's directory is a regular file: every save fails.
        Path blocker = Files.writeString(directory.resolve("var"), "not a directory");
        start(new EnforcementFile(blocker.resolve("enforcement.json")));
        enforcement.override("kept.example", DomainOverride.of(EnforcementMode.OFF, Optional.empty()));

        assertThat(call("PUT", "/mta-sts/enforcement", "{\"mode\":\"off\"}").statusCode()).isEqualTo(500);
        assertThat(call("PUT", "/mta-sts/overrides/new.example", "{\"mode\":\"testing\"}").statusCode()).isEqualTo(500);
        assertThat(call("DELETE", "/mta-sts/overrides/kept.example", null).statusCode()).isEqualTo(500);

        assertThat(enforcement.global()).isEqualTo(EnforcementMode.ENFORCE);
        assertThat(enforcement.overrides()).containsOnlyKeys("kept.example");
    }

    @Test
    void aSavedChangeIsReadBackAtTheNextStart() throws Exception {
        EnforcementFile file = new EnforcementFile(directory.resolve("var/mta-sts/enforcement.json"));
        start(file);

        assertThat(call("PUT", "/mta-sts/enforcement", "{\"mode\":\"report-only\"}").statusCode()).isEqualTo(200);
        assertThat(call("PUT", "/mta-sts/overrides/Broken.Example.", "{\"mode\":\"off\",\"ttl\":\"1h\"}").statusCode()).isEqualTo(200);

        Enforcement restarted = new Enforcement(EnforcementMode.ENFORCE, Clock.systemUTC());
        file.loadInto(restarted);
        assertThat(restarted.global()).isEqualTo(EnforcementMode.REPORT_ONLY);
        assertThat(restarted.modeFor("broken.example")).isEqualTo(EnforcementMode.OFF);
    }

    private void start(EnforcementFile file) {
        service = Service.ignite().ipAddress("127.0.0.1").port(0);
        new EnforcementRoutes(enforcement, file).define(service);
        service.init();
        service.awaitInitialization();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}

package io.github.jamesmtasts.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** James's WebAdmin as a test calls it: requests, their JSON answers and James's error bodies. */
final class WebAdmin {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final JamesProcess james;

    WebAdmin(JamesProcess james) {
        this.james = james;
    }

    /** WebAdmin comes up a little after SMTP, which is what a start waits for. */
    WebAdmin awaitUp() throws InterruptedException {
        World.until("WebAdmin answering", () -> {
            try {
                return call("GET", "/mta-sts/enforcement", null).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        return this;
    }

    HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(james.webAdmin() + path)).timeout(Duration.ofSeconds(30));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response, int status) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    /** James's WebAdmin error: the status, and a JSON body whose message says what was wrong. */
    static void assertError(HttpResponse<String> response, int status, String message) throws IOException {
        JsonNode error = json(response, status);
        assertThat(error.get("statusCode").asInt()).isEqualTo(status);
        assertThat(error.get("message").asText()).contains(message);
    }
}

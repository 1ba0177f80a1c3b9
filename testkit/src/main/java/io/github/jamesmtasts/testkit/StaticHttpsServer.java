package io.github.jamesmtasts.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTPS server on a loopback address and port 443, serving fixed responses per path with a
 * {@link TestCa} certificate (the JDK's own {@code HttpsServer}): a policy host of MTA-STS
 * (RFC 8461 §3.3) for tests. Responses change while it runs; every request is logged.
 */
public final class StaticHttpsServer implements AutoCloseable {
    /** One response: status, content type and body. */
    public static final class Response {
        private final int status;
        private final String contentType;
        private final String body;

        public Response(int status, String contentType, String body) {
            this.status = status;
            this.contentType = contentType;
            this.body = body;
        }
    }

    private final HttpsServer server;
    private final Map<String, Response> responses = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private StaticHttpsServer(HttpsServer server) {
        this.server = server;
    }

    /** Starts a server on {@code address:443} with the certificate given. */
    public static StaticHttpsServer start(InetAddress address, TestCa.Issued certificate) {
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("test servers bind loopback addresses only: " + address);
        }
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(certificate.keyStore(), "changeit".toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), null, null);
            HttpsServer https = HttpsServer.create(new InetSocketAddress(address, 443), 16);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            StaticHttpsServer server = new StaticHttpsServer(https);
            https.createContext("/", server::answer);
            https.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Serves {@code body} at {@code path} with status 200 and the given content type. */
    public StaticHttpsServer serve(String path, String contentType, String body) {
        return serve(path, new Response(200, contentType, body));
    }

    public StaticHttpsServer serve(String path, Response response) {
        responses.put(path, response);
        return this;
    }

    /** The requests so far, as {@code METHOD host path}. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Host") + " " + path);
        Response response = responses.getOrDefault(path, new Response(404, "text/plain", "not found"));
        byte[] body = response.body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", response.contentType);
        exchange.sendResponseHeaders(response.status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

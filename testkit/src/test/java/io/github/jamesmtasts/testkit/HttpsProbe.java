package io.github.jamesmtasts.testkit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A raw HTTPS/1.1 client for testing {@link PolicyHost}: it connects to the host's IP (never
 * resolving a name), sends SNI and checks the certificate for {@code serverName} with the JDK's
 * PKIX trust manager and HTTPS endpoint identification, and shows the response bytes as they came.
 */
final class HttpsProbe implements AutoCloseable {
    private final SSLSocket socket;
    private final InputStream in;

    private HttpsProbe(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    static HttpsProbe connect(PolicyHost host, String serverName, SSLContext trust) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(host.address(), host.port()), 2000);
        plain.setSoTimeout(5000);
        SSLSocket tls = (SSLSocket) trust.getSocketFactory().createSocket(plain, serverName, host.port(), true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        return new HttpsProbe(tls);
    }

    SSLSocket socket() {
        return socket;
    }

    void get(String target, String hostHeader) throws IOException {
        send("GET " + target + " HTTP/1.1\r\nHost: " + hostHeader + "\r\n\r\n", new byte[0]);
    }

    void post(String target, String hostHeader, String contentType, byte[] body) throws IOException {
        send("POST " + target + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nContent-Type: " + contentType
            + "\r\nContent-Length: " + body.length + "\r\n\r\n", body);
    }

    private void send(String head, byte[] body) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** Reads a status line and headers. */
    Head readHead() throws IOException {
        String status = readLine();
        Map<String, String> headers = new HashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        String[] statusLine = status.split(" ");
        return new Head(statusLine[0], Integer.parseInt(statusLine[1]), headers);
    }

    /** Reads {@code count} body bytes. */
    byte[] read(int count) throws IOException {
        return in.readNBytes(count);
    }

    /** Reads everything until the server closes the connection. */
    byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    /** Reads a response whose body has a Content-Length. */
    Reply readReply() throws IOException {
        Head head = readHead();
        return new Reply(head, read(Integer.parseInt(head.header("content-length"))));
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed in the response head");
            }
            line.write(c);
        }
        byte[] bytes = line.toByteArray();
        return new String(Arrays.copyOf(bytes, bytes.length - 1), StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    record Head(String version, int status, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    record Reply(Head head, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }
}

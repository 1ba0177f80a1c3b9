package io.github.jamesmtasts.publishing;

import io.github.jamesmtasts.testkit.TestCa;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A plain HTTPS/1.1 client over an {@link SSLSocket} to a loopback server: it sends the SNI it is told (the
 * name it also checks the certificate against, as RFC 8461 §3.3 wants) and writes requests byte for byte.
 */
final class HttpsProbe implements AutoCloseable {
    private final SSLSocket socket;

    private HttpsProbe(SSLSocket socket) {
        this.socket = socket;
    }

    /** Connects and shakes hands, with SNI and endpoint identification for {@code serverName} unless null. */
    static HttpsProbe connect(InetSocketAddress server, TestCa trusted, String serverName) {
        try {
            Socket plain = new Socket();
            plain.connect(server, 5000);
            plain.setSoTimeout(5000);
            String peer = serverName == null ? server.getAddress().getHostAddress() : serverName;
            SSLSocket socket = (SSLSocket) trusted.clientContext().getSocketFactory().createSocket(plain, peer, server.getPort(), true);
            if (serverName != null) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
            }
            socket.startHandshake();
            return new HttpsProbe(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The serial of the certificate the server presented. */
    BigInteger serial() {
        try {
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One request (head and body written as given), and its response read by its Content-Length. */
    Response send(String method, String path, String host, Map<String, String> headers, byte[] body) {
        try {
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            if (host != null) {
                head.append("Host: ").append(host).append("\r\n");
            }
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            if (body.length > 0) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return Response.read(socket.getInputStream(), "HEAD".equals(method));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Response get(String path, String host) {
        return send("GET", path, host, Map.of(), new byte[0]);
    }

    /** Whether the server closed the connection: a read gives end of stream (or a reset) before the timeout. */
    boolean closedByServer() {
        try {
            return socket.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test connection
        }
    }

    /** A response: status, headers by lower-case name, body. */
    static final class Response {
        final int status;
        final Map<String, String> headers;
        final String body;

        private Response(int status, Map<String, String> headers, String body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        static Response read(InputStream in, boolean head) throws IOException {
            String statusLine = line(in);
            Map<String, String> headers = new HashMap<>();
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            int length = head ? 0 : Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(length);
            return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("the connection ended within a response head");
                }
                line.write(c);
            }
            String text = line.toString(StandardCharsets.US_ASCII);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }
}

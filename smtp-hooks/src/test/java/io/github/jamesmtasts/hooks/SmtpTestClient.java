package io.github.jamesmtasts.hooks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** A line-by-line SMTP client over a real socket, with STARTTLS, for talking to James in tests. */
final class SmtpTestClient implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 10_000;

    /** One SMTP reply: its code and the text of each line. */
    record Reply(int code, List<String> lines) {
        String text() {
            return String.join("\n", lines);
        }
    }

    private Socket socket;
    private BufferedReader in;
    private OutputStream out;

    private SmtpTestClient(Socket socket) throws IOException {
        use(socket);
    }

    /** Connects and reads the greeting. */
    static SmtpTestClient connect(InetSocketAddress server) {
        try {
            Socket socket = new Socket();
            socket.connect(server, TIMEOUT_MILLIS);
            SmtpTestClient client = new SmtpTestClient(socket);
            Reply greeting = client.read();
            if (greeting.code() != 220) {
                throw new IllegalStateException("unexpected greeting " + greeting);
            }
            return client;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Reply command(String line) {
        try {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** EHLO; returns the extension keywords of the reply (first word of each line after the greeting line). */
    List<String> ehlo() {
        Reply reply = command("EHLO client.test");
        if (reply.code() != 250) {
            throw new IllegalStateException("EHLO refused: " + reply);
        }
        List<String> keywords = new ArrayList<>();
        for (String line : reply.lines().subList(1, reply.lines().size())) {
            keywords.add(line.split(" ", 2)[0]);
        }
        return keywords;
    }

    /** STARTTLS, then a TLS handshake checking the server certificate for {@code serverName} against the context's trust. */
    void startTls(SSLContext context, String serverName) {
        Reply reply = command("STARTTLS");
        if (reply.code() != 220) {
            throw new IllegalStateException("STARTTLS refused: " + reply);
        }
        try {
            SSLSocket tls = (SSLSocket) context.getSocketFactory()
                .createSocket(socket, serverName, socket.getPort(), true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            tls.startHandshake();
            use(tls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** DATA with the given message lines; returns the reply to the final dot. */
    Reply data(String... messageLines) {
        Reply go = command("DATA");
        if (go.code() != 354) {
            throw new IllegalStateException("DATA refused: " + go);
        }
        return command(String.join("\r\n", messageLines) + "\r\n.");
    }

    private void use(Socket newSocket) throws IOException {
        socket = newSocket;
        socket.setSoTimeout(TIMEOUT_MILLIS);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        out = socket.getOutputStream();
    }

    private Reply read() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed after " + lines);
            }
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new Reply(Integer.parseInt(line.substring(0, 3)), lines);
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

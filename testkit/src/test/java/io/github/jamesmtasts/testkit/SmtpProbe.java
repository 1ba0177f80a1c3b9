package io.github.jamesmtasts.testkit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw SMTP client for testing {@link MxServer}: it writes exactly the bytes a test gives and
 * reads replies line by line, so the server's framing is seen as it is on the wire.
 */
final class SmtpProbe implements AutoCloseable {
    private Socket socket;
    private BufferedReader in;
    private OutputStream out;

    private SmtpProbe(Socket socket) throws IOException {
        use(socket);
    }

    static SmtpProbe connect(MxServer mx) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(mx.address(), mx.port()), 2000);
        socket.setSoTimeout(5000);
        return new SmtpProbe(socket);
    }

    Socket socket() {
        return socket;
    }

    /** Sends a command line and reads its reply. */
    Reply command(String line) throws IOException {
        write(line + "\r\n");
        return readReply();
    }

    /** Sends raw text as it is (several pipelined commands, message data, bare LFs, ...). */
    void write(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads one reply, all its lines; {@code null} if the server closed the connection first. */
    Reply readReply() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return new Reply(Integer.parseInt(line.substring(0, 3)), lines);
            }
        }
        return null;
    }

    /** Starts TLS on this connection (after a 220 to STARTTLS), sending SNI and checking the certificate for {@code serverName}. */
    SSLSocket startTls(SSLContext trust, String serverName) throws IOException {
        SSLSocket tls = (SSLSocket) trust.getSocketFactory().createSocket(socket, serverName, socket.getPort(), true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        use(tls);
        return tls;
    }

    private void use(Socket connection) throws IOException {
        this.socket = connection;
        this.in = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8));
        this.out = connection.getOutputStream();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    record Reply(int code, List<String> lines) {
        /** The texts of all lines, without code and separator. */
        List<String> texts() {
            return lines.stream().map(line -> line.length() > 4 ? line.substring(4) : "").toList();
        }
    }
}

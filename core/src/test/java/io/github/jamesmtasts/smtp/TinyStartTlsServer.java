package io.github.jamesmtasts.smtp;

import io.github.jamesmtasts.testkit.TestCa;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A minimal SMTP server on {@code address:25} for what no packaged MTA offers: it announces chosen
 * EHLO keywords after STARTTLS (REQUIRETLS, RFC 8689), accepts every command, and records the
 * {@code MAIL FROM} lines it got. One connection at a time, no pipelining.
 */
final class TinyStartTlsServer implements AutoCloseable {
    private final ServerSocket listener;
    private final SSLContext tls;
    private final List<String> keywordsAfterTls;
    private final List<String> mailCommands = new CopyOnWriteArrayList<>();

    private TinyStartTlsServer(ServerSocket listener, SSLContext tls, List<String> keywordsAfterTls) {
        this.listener = listener;
        this.tls = tls;
        this.keywordsAfterTls = keywordsAfterTls;
    }

    static TinyStartTlsServer start(InetAddress address, TestCa.Issued certificate, List<String> keywordsAfterTls) {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
            keys.init(certificate.keyStore(), "changeit".toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), null, null);
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(address, 25));
            TinyStartTlsServer server = new TinyStartTlsServer(listener, tls, keywordsAfterTls);
            Thread thread = new Thread(server::serve, "tiny-smtp");
            thread.setDaemon(true);
            thread.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    InetAddress address() {
        return listener.getInetAddress();
    }

    /** The {@code MAIL FROM} commands received, as sent. */
    List<String> mailCommands() {
        return mailCommands;
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    private void serve() {
        while (!listener.isClosed()) {
            try (Socket socket = listener.accept()) {
                converse(socket);
            } catch (IOException e) {
                // the connection or the listener closed; serve the next one, if any
            }
        }
    }

    private void converse(Socket plain) throws IOException {
        Socket socket = plain;
        boolean secure = false;
        BufferedReader in = reader(socket);
        OutputStream out = socket.getOutputStream();
        write(out, "220 mx.tiny.test ESMTP");
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.toUpperCase(Locale.ROOT);
            if (command.startsWith("EHLO")) {
                StringBuilder reply = new StringBuilder("250-mx.tiny.test\r\n");
                for (String keyword : secure ? keywordsAfterTls : List.of("STARTTLS")) {
                    reply.append("250-").append(keyword).append("\r\n");
                }
                write(out, reply.append("250 ENHANCEDSTATUSCODES").toString());
            } else if (command.equals("STARTTLS") && !secure) {
                write(out, "220 2.0.0 go ahead");
                SSLSocket tlsSocket = (SSLSocket) tls.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
                tlsSocket.setUseClientMode(false);
                tlsSocket.startHandshake();
                socket = tlsSocket;
                secure = true;
                in = reader(socket);
                out = socket.getOutputStream();
            } else if (command.startsWith("MAIL")) {
                mailCommands.add(line);
                write(out, "250 2.1.0 ok");
            } else if (command.equals("DATA")) {
                write(out, "354 go ahead");
                while (!".".equals(in.readLine())) {
                    // the message is not kept
                }
                write(out, "250 2.0.0 queued");
            } else if (command.equals("QUIT")) {
                write(out, "221 2.0.0 bye");
                return;
            } else {
                write(out, "250 2.0.0 ok");
            }
        }
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}

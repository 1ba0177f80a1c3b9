package io.github.jamesmtasts.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A man in the middle on {@code address:25} that relays SMTP to a real server and deletes the
 * {@code STARTTLS} line from every multi-line reply (the downgrade attack MTA-STS exists to stop,
 * RFC 8461 §1). Everything else passes unchanged in both directions.
 */
public final class StartTlsStrippingProxy implements AutoCloseable {
    private static final int SMTP_PORT = 25;

    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger stripped = new AtomicInteger();

    private StartTlsStrippingProxy(ServerSocket listener, InetSocketAddress upstream) {
        this.listener = listener;
        this.upstream = upstream;
    }

    /** Listens on {@code address:25} and relays each connection to {@code upstream}. */
    public static StartTlsStrippingProxy start(InetAddress address, InetSocketAddress upstream) {
        try {
            ServerSocket listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(address, SMTP_PORT));
            StartTlsStrippingProxy proxy = new StartTlsStrippingProxy(listener, upstream);
            daemon("mitm-accept", proxy::acceptLoop);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public InetAddress address() {
        return listener.getInetAddress();
    }

    /** How many STARTTLS lines were deleted so far. */
    public int strippedCount() {
        return stripped.get();
    }

    @Override
    public void close() {
        closeQuietly(listener);
        sockets.forEach(StartTlsStrippingProxy::closeQuietly);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(upstream, 5_000);
                sockets.add(client);
                sockets.add(server);
                daemon("mitm-up", () -> copy(client, server));
                daemon("mitm-down", () -> rewriteReplies(server, client));
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private static void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // one side closed: the relay of this connection is over
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void rewriteReplies(Socket from, Socket to) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(from.getInputStream(), StandardCharsets.ISO_8859_1));
             OutputStream out = to.getOutputStream()) {
            List<String> reply = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                reply.add(line);
                boolean last = line.length() < 4 || line.charAt(3) != '-';
                if (last) {
                    out.write(strip(reply).getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    reply.clear();
                }
            }
        } catch (IOException e) {
            // one side closed: the relay of this connection is over
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** The reply without its STARTTLS line, the last remaining line marked as last (RFC 5321 §4.2.1). */
    private String strip(List<String> reply) {
        List<String> kept = new ArrayList<>();
        for (String line : reply) {
            if (line.length() > 4 && line.substring(4).trim().toUpperCase(Locale.ROOT).equals("STARTTLS")) {
                stripped.incrementAndGet();
            } else {
                kept.add(line);
            }
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < kept.size(); i++) {
            String line = kept.get(i);
            boolean last = i == kept.size() - 1;
            text.append(line.length() >= 4 ? line.substring(0, 3) + (last ? ' ' : '-') + line.substring(4) : line).append("\r\n");
        }
        return text.toString();
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}

package io.github.jamesmtasts.testkit;

import java.io.Closeable;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The daemon threads of one blocking test server and the sockets they serve. Closing it closes
 * every socket it knows (which wakes threads blocked in reads and accepts) and stops the threads,
 * so a test server's {@code close()} never leaves a connection or thread behind.
 */
final class ServerThreads implements AutoCloseable {
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final ExecutorService executor;
    private final Set<Closeable> sockets = ConcurrentHashMap.newKeySet();

    ServerThreads(String name) {
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs a task on a server thread; {@code socket} is closed with the server. */
    void run(Closeable socket, Runnable task) {
        sockets.add(socket);
        executor.execute(task);
    }

    /**
     * Accepts connections until the server closes, serving each on its own thread; a connection's
     * socket is closed when its handler returns or when the server closes.
     */
    void acceptLoop(ServerSocket listener, Consumer<Socket> handler) {
        run(listener, () -> {
            while (!listener.isClosed()) {
                Socket socket;
                try {
                    socket = listener.accept();
                } catch (IOException closed) {
                    return;
                }
                run(socket, () -> {
                    try (socket) {
                        handler.accept(socket);
                    } catch (IOException ignored) {
                        // the socket is going away either way
                    } finally {
                        sockets.remove(socket);
                    }
                });
            }
        });
    }

    @Override
    public void close() {
        for (Closeable socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        sockets.clear();
        executor.shutdownNow();
        try {
            // a listening socket is only released once the thread blocked in accept() has left it
            executor.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

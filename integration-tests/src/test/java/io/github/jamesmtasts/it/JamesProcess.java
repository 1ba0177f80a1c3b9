package io.github.jamesmtasts.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A James 3.8.1 server with the extension, installed and started exactly as the README tells an admin:
 * {@code james-conf/run-james.sh --prepare} once per test run, then {@code run-james.sh} with its options for
 * each server. Each server gets its own home (its own {@code conf/}, the prepared libraries shared) and its
 * own ports.
 */
final class JamesProcess implements AutoCloseable {
    private static final Path REPOSITORY = Path.of(System.getProperty("mtasts.repository", "..")).toAbsolutePath().normalize();
    private static final Path WORK = Path.of(System.getProperty("mtasts.work", "target")).toAbsolutePath().normalize();
    private static final Path SCRIPT = REPOSITORY.resolve("james-conf/run-james.sh");
    private static final Path PREPARED = WORK.resolve("james-prepared");
    private static final Duration START_LIMIT = Duration.ofMinutes(3);
    private static boolean prepared;

    private final Path home;
    private final int smtpPort;
    private final int webAdminPort;
    private final List<String> options;
    private final Map<String, String> environment = new HashMap<>();
    private Process process;

    private JamesProcess(Path home, List<String> options) {
        this.home = home;
        this.smtpPort = freePort();
        this.webAdminPort = freePort();
        this.options = List.copyOf(options);
    }

    /**
     * A server home of its own for {@code name}, from the prepared one, with the run options given
     * ({@code --dns}, {@code --ca-file}, ...); ports are chosen here. Not started yet.
     */
    static synchronized JamesProcess create(String name, List<String> options) {
        prepareOnce();
        Path home = WORK.resolve("james-" + name);
        try {
            deleteTree(home);
            Files.createDirectories(home.resolve("conf"));
            Files.createDirectories(home.resolve("extensions-jars"));
            Files.createSymbolicLink(home.resolve("lib"), PREPARED.resolve("lib"));
            copyFiles(PREPARED.resolve("conf"), home.resolve("conf"));
            copyFiles(PREPARED.resolve("extensions-jars"), home.resolve("extensions-jars"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new JamesProcess(home, options);
    }

    private static void prepareOnce() {
        if (prepared) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString(), "--prepare", "--home", PREPARED.toString()));
        for (String jar : System.getProperty("mtasts.extensionJars", "").split(",")) {
            if (!jar.isBlank()) {
                command.addAll(List.of("--extension-jar", jar.trim()));
            }
        }
        try {
            // A home left by an earlier run would keep its configuration files (run-james.sh copies only missing ones).
            deleteTree(PREPARED.resolve("conf"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(command, WORK.resolve("james-prepare.log"));
        prepared = true;
    }

    private static void run(List<String> command, Path log) {
        try {
            Files.createDirectories(log.getParent());
            Process prepare = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!prepare.waitFor(10, TimeUnit.MINUTES) || prepare.exitValue() != 0) {
                prepare.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Edits a configuration file of this server's home, as an admin would before starting it. */
    JamesProcess editConf(String file, UnaryOperator<String> edit) {
        Path path = home.resolve("conf").resolve(file);
        try {
            String before = Files.readString(path);
            String after = edit.apply(before);
            if (after.equals(before)) {
                throw new IllegalArgumentException("the edit changed nothing in " + file);
            }
            Files.writeString(path, after);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Starts the server with {@code run-james.sh} and waits until its SMTP server greets. */
    JamesProcess start() {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString(), "--home", home.toString(),
            "--smtp-port", String.valueOf(smtpPort), "--webadmin-port", String.valueOf(webAdminPort)));
        command.addAll(options);
        try {
            Files.createDirectories(home.resolve("logs"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("logs/console.log").toFile()));
            builder.environment().putAll(environment);
            process = builder.start();
            awaitGreeting();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private void awaitGreeting() throws IOException {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("James stopped while starting:\n" + consoleTail());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), smtpPort), 1000);
                socket.setSoTimeout(5000);
                String greeting = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                if (greeting != null && greeting.startsWith("220")) {
                    return;
                }
            } catch (IOException notYet) {
                sleep(Duration.ofMillis(200));
            }
        }
        throw new IllegalStateException("James did not start in " + START_LIMIT + ":\n" + consoleTail());
    }

    /** The last lines James wrote, for failure messages. */
    String consoleTail() {
        try {
            List<String> lines = Files.readAllLines(home.resolve("logs/console.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            return "(no console log: " + e + ")";
        }
    }

    /** Everything James logged so far. */
    String log() {
        try {
            return Files.readString(home.resolve("logs/console.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets an environment variable of the server's next starts, such as {@code JAVA_OPTS}. */
    JamesProcess environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** The process id of the running server (run-james.sh execs java). */
    long pid() {
        return process.pid();
    }

    /** The base URI of this server's WebAdmin. */
    URI webAdmin() {
        return URI.create("http://127.0.0.1:" + webAdminPort);
    }

    int smtpPort() {
        return smtpPort;
    }

    Path home() {
        return home;
    }

    /** Stops the server (SIGTERM, as Ctrl-C would) and waits for it. */
    void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Kills the server at once (SIGKILL, as a power cut would): nothing of James's shutdown runs. */
    void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyFiles(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted((a, b) -> b.getNameCount() - a.getNameCount())::iterator) {
                Files.delete(path);
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

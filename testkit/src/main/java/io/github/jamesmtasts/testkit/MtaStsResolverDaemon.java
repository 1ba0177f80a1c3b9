package io.github.jamesmtasts.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code mta-sts-daemon} (the postfix-mta-sts-resolver package, not code of this project): Postfix's
 * MTA-STS policy source, a socketmap server that answers {@code smtp_tls_policy_maps} look-ups with
 * {@code secure match=...} for a domain with an {@code enforce} policy. Run as a child process of the test, on a
 * loopback address, in a mount namespace of its own whose {@code /etc/resolv.conf} is the test's (its DNS
 * look-ups, through aiodns and the resolver of the C library, go to the name servers listed there, for example a
 * test DNS server on loopback) and with {@code SSL_CERT_FILE} set to the test CA, so that it fetches policies from
 * HTTPS hosts of that CA only. Its configuration is the package's defaults (internal cache, {@code strict_testing}
 * off, 4 s timeout, SNI required) but for the address. Needs root (the mount namespace).
 */
public final class MtaStsResolverDaemon implements AutoCloseable {
    private static final Path DAEMON = Path.of("/usr/bin/mta-sts-daemon");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final InetAddress address;
    private final int port;
    private final Path log;

    private MtaStsResolverDaemon(Process process, InetAddress address, int port, Path log) {
        this.process = process;
        this.address = address;
        this.port = port;
        this.log = log;
    }

    /** Whether the postfix-mta-sts-resolver package is installed here. */
    public static boolean isInstalled() {
        return Files.isExecutable(DAEMON);
    }

    /**
     * Starts the daemon on {@code address:port} (loopback), its files in {@code directory}, DNS from
     * {@code resolvConf}, trusting the certificates of {@code caFile} (PEM) only; returns once it listens.
     */
    public static MtaStsResolverDaemon start(Path directory, InetAddress address, int port, Path resolvConf, Path caFile) {
        LoopbackAddresses.requireLoopback(address);
        try {
            Files.createDirectories(directory);
            Path config = Files.write(directory.resolve("mta-sts-daemon.yml"), List.of(
                "host: " + address.getHostAddress(),
                "port: " + port,
                "cache:",
                "  type: internal"), StandardCharsets.UTF_8);
            Path log = directory.resolve("mta-sts-daemon.log");
            ProcessBuilder builder = new ProcessBuilder("unshare", "--mount", "sh", "-c",
                "mount --bind \"$0\" /etc/resolv.conf && exec \"$1\" -c \"$2\" -l \"$3\"", resolvConf.toString(),
                DAEMON.toString(), config.toString(), log.toString())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("mta-sts-daemon.out").toFile());
            builder.environment().put("SSL_CERT_FILE", caFile.toString());
            // No proxy from the environment: aiohttp would use it for the policy fetch.
            builder.environment().keySet().removeIf(name -> name.toLowerCase().endsWith("_proxy"));
            MtaStsResolverDaemon daemon = new MtaStsResolverDaemon(builder.start(), address, port, log);
            daemon.awaitListening();
            return daemon;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Postfix's name for this daemon's table {@code name}, for {@code smtp_tls_policy_maps}. */
    public String socketmap(String name) {
        return "socketmap:inet:" + address.getHostAddress() + ":" + port + ":" + name;
    }

    /** The daemon's process id (unshare and sh exec it: the child process itself). */
    public long pid() {
        return process.pid();
    }

    /** The daemon's log. */
    public String log() {
        return Files.exists(log) ? ChildProcessSupport.read(log) : "";
    }

    private void awaitListening() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), 200);
                return;
            } catch (IOException e) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    close();
                    throw new IllegalStateException("mta-sts-daemon is not listening on " + address.getHostAddress() + ":"
                        + port + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")") + "; log:\n" + log(), e);
                }
                ChildProcessSupport.pause();
            }
        }
    }

    /** Stops the daemon (SIGTERM, its graceful shutdown; SIGKILL after 30 s). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

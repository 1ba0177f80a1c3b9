package io.github.jamesmtasts.testkit;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real one-node Apache Cassandra (the {@code cassandra-all} artifact of Maven Central, run as its own JVM, a child
 * of the test's) on {@code address:9042}, with its configuration, data and log in a temporary directory that
 * {@link #close()} deletes after stopping it. Authentication is off (AllowAll), JMX is not started, the heap is
 * {@value #HEAP} and the thread pools are small: a test server, not a tuned one.
 *
 * <p>The class path of Cassandra comes from the module {@code cassandra-runtime}, which resolves it with Maven at build
 * time (the resource {@code cassandra.classpath}); after the first build it is in the local repository, so offline
 * builds start it too. Starting takes some 21 to 24 seconds on two cores (measured, Java 17): {@link #start()} returns once a CQL session
 * connects, and a test class should share one server.
 */
public final class CassandraServer implements AutoCloseable {
    /** Cassandra's single data centre under its {@code SimpleSnitch}. */
    public static final String DATACENTER = "datacenter1";
    private static final int NATIVE_PORT = 9042;
    private static final int STORAGE_PORT = 7000;
    private static final String HEAP = "768m";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    private static final int LOG_TAIL_CHARS = 6000;
    private static final String CLASSPATH_RESOURCE = "cassandra.classpath";

    /** Cassandra's own {@code jvm17-server.options}: what it reaches into the JDK for, on Java 17. */
    private static final List<String> JAVA17_OPTIONS = List.of(
        "-Djdk.attach.allowAttachSelf=true",
        "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
        "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
        "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
        "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
        "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
        "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.base/java.io=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "--add-opens", "java.base/java.util=ALL-UNNAMED",
        "-Dio.netty.tryReflectionSetAccessible=true");

    private final Path directory;
    private final InetAddress address;
    private final Process process;
    private final Thread killer;
    private final Instant begin;
    private volatile Duration startup;

    private CassandraServer(Path directory, InetAddress address, Process process, Thread killer, Instant begin) {
        this.directory = directory;
        this.address = address;
        this.process = process;
        this.killer = killer;
        this.begin = begin;
    }

    /** Starts Cassandra on a fresh loopback address and waits until it answers CQL. */
    public static CassandraServer start() {
        InetAddress address = LoopbackAddresses.next();
        Instant begin = Instant.now();
        Path directory;
        Process process;
        try {
            directory = Files.createTempDirectory("cassandra-");
            Files.writeString(directory.resolve("cassandra.yaml"), yaml(directory, address));
            Files.writeString(directory.resolve("logback.xml"), LOGBACK);
            process = new ProcessBuilder(command(directory))
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("output.log").toFile())
                .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Cassandra", e);
        }
        Thread killer = new Thread(process::destroyForcibly, "cassandra-killer");
        Runtime.getRuntime().addShutdownHook(killer);
        CassandraServer server = new CassandraServer(directory, address, process, killer, begin);
        try {
            server.awaitCql(begin.plus(START_TIMEOUT));
        } catch (RuntimeException e) {
            String log = server.log();
            server.close();
            throw new IllegalStateException(e.getMessage() + "; Cassandra's log ends:\n" + log, e);
        }
        return server;
    }

    /** Where CQL clients connect: {@code address:9042}. */
    public InetSocketAddress contactPoint() {
        return new InetSocketAddress(address, NATIVE_PORT);
    }

    /** How long {@link #start()} took, until the first CQL session connected. */
    public Duration startup() {
        return startup;
    }

    /** A new CQL session to this server, with timeouts long enough for schema changes on a slow machine. */
    public CqlSession newSession() {
        return CqlSession.builder()
            .addContactPoint(contactPoint())
            .withLocalDatacenter(DATACENTER)
            .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, REQUEST_TIMEOUT)
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, REQUEST_TIMEOUT)
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, REQUEST_TIMEOUT)
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, REQUEST_TIMEOUT)
                .build())
            .build();
    }

    /** The end of Cassandra's log, for a failure message. */
    public String log() {
        Path log = directory.resolve("output.log");
        if (!Files.exists(log)) {
            return "";
        }
        String all = ChildProcessSupport.read(log);
        return all.substring(Math.max(0, all.length() - LOG_TAIL_CHARS));
    }

    /** Kills Cassandra (no drain: its data goes next) and deletes its data. */
    @Override
    public void close() {
        try {
            process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // The hook runs anyway.
        }
        deleteTree(directory);
    }

    private void awaitCql(Instant deadline) {
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Cassandra exited with status " + process.exitValue());
            }
            try (CqlSession session = newSession()) {
                session.execute("SELECT release_version FROM system.local");
                startup = Duration.between(begin, Instant.now());
                return;
            } catch (RuntimeException notYet) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Cassandra did not answer CQL on " + contactPoint() + " within "
                        + START_TIMEOUT + ": " + notYet.getMessage(), notYet);
                }
            }
            sleep();
        }
    }

    private static List<String> command(Path directory) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms" + HEAP);
        command.add("-Xmx" + HEAP);
        command.add("-XX:+UseG1GC");
        command.add("-XX:+HeapDumpOnOutOfMemoryError");
        command.addAll(JAVA17_OPTIONS);
        command.add("-Djava.net.preferIPv4Stack=true");
        command.add("-Dcassandra.config=" + directory.resolve("cassandra.yaml").toUri());
        command.add("-Dcassandra.storagedir=" + directory);
        command.add("-Dcassandra.logdir=" + directory);
        command.add("-Dcassandra-foreground=yes");
        command.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
        command.add("-Dlogback.configurationFile=" + directory.resolve("logback.xml"));
        command.add("-cp");
        command.add(classPath());
        command.add("org.apache.cassandra.service.CassandraDaemon");
        return command;
    }

    private static String classPath() {
        try (InputStream in = CassandraServer.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no " + CLASSPATH_RESOURCE + " beside " + CassandraServer.class.getName()
                    + ": the module cassandra-runtime writes it; build with -am");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String yaml(Path directory, InetAddress address) {
        String host = address.getHostAddress();
        return String.join("\n",
            "cluster_name: mta-sts-test",
            "num_tokens: 1",
            "initial_token: 0",
            "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
            "endpoint_snitch: SimpleSnitch",
            "seed_provider:",
            "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
            "    parameters:",
            "      - seeds: \"" + host + ":" + STORAGE_PORT + "\"",
            "listen_address: " + host,
            "rpc_address: " + host,
            "storage_port: " + STORAGE_PORT,
            "native_transport_port: " + NATIVE_PORT,
            "start_native_transport: true",
            "data_file_directories:",
            "  - " + directory.resolve("data"),
            "commitlog_directory: " + directory.resolve("commitlog"),
            "saved_caches_directory: " + directory.resolve("saved_caches"),
            "hints_directory: " + directory.resolve("hints"),
            "cdc_raw_directory: " + directory.resolve("cdc_raw"),
            "commitlog_sync: periodic",
            "commitlog_sync_period: 10000ms",
            "authenticator: AllowAllAuthenticator",
            "authorizer: AllowAllAuthorizer",
            "concurrent_reads: 4",
            "concurrent_writes: 4",
            "concurrent_counter_writes: 4",
            "concurrent_materialized_view_writes: 2",
            "concurrent_compactors: 1",
            "memtable_flush_writers: 1",
            "native_transport_max_threads: 16",
            "");
    }

    private static final String LOGBACK = String.join("\n",
        "<configuration>",
        "  <appender name=\"OUT\" class=\"ch.qos.logback.core.ConsoleAppender\">",
        "    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n</pattern></encoder>",
        "  </appender>",
        "  <root level=\"INFO\"><appender-ref ref=\"OUT\"/></root>",
        "</configuration>",
        "");

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete Cassandra's directory " + root, e);
        }
    }
}

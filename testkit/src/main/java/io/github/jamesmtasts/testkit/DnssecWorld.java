package io.github.jamesmtasts.testkit;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A DNSSEC world on loopback made of real, unmodified programs (Debian packages, not code of this
 * project): zones signed at test time with {@code ldns-keygen} and {@code ldns-signzone}, served
 * by an authoritative NSD, and resolved by a validating Unbound whose only trust anchor is the DS
 * of a parent zone (by default {@code test.}). Tests ask {@link #resolver()} and read the answers'
 * AD flag and RCODE.
 *
 * <p>The parent is signed and delegates to each child zone, of three kinds (see {@link Signing}):
 * signed with a DS in the parent (secure), delegated without a DS (insecure), or signed with a
 * DS in the parent that matches none of the zone's keys (bogus: Unbound answers SERVFAIL, or the
 * data when the query sets CD). Signatures run from a day before {@link Builder#start()} to a
 * year after it.
 *
 * <p>NSD and Unbound run in the foreground as child processes of the JVM, each on port 53 of its
 * own address from {@link LoopbackAddresses}, without chroot or user switch, with their
 * configuration, zones, keys, pid files and logs in a temporary directory that {@link #close()}
 * deletes. Unbound sends its queries from its own loopback address, and its root hints name only
 * NSD, so no query leaves loopback; {@link #serversAsked()} shows whom it asked. Needs root (port
 * 53) and the packages {@code nsd}, {@code unbound} and {@code ldnsutils}; see
 * {@link #isInstalled()}.
 */
public final class DnssecWorld implements AutoCloseable {
    private static final Path NSD = Path.of("/usr/sbin/nsd");
    private static final Path UNBOUND = Path.of("/usr/sbin/unbound");
    private static final Path UNBOUND_CONTROL = Path.of("/usr/sbin/unbound-control");
    private static final Path LDNS_KEYGEN = Path.of("/usr/bin/ldns-keygen");
    private static final Path LDNS_SIGNZONE = Path.of("/usr/bin/ldns-signzone");
    private static final int DNS_PORT = 53;
    private static final long TTL_SECONDS = 300;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration QUERY_TIMEOUT = Duration.ofMillis(500);
    private static final Duration SIGNATURE_BACKDATING = Duration.ofDays(1);
    private static final Duration SIGNATURE_VALIDITY = Duration.ofDays(365);
    private static final Pattern ZONE_NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.?");

    /** How a child zone is signed and delegated. */
    public enum Signing {
        /** Signed, with its DS in the parent: answers validate (AD). */
        SIGNED,
        /** Not signed, delegated by NS alone, no DS: an insecure delegation, answers without AD. */
        UNSIGNED,
        /** Signed, but the DS in the parent is that of another key: validation fails (SERVFAIL). */
        BOGUS
    }

    private final Path directory;
    private final Zone parent;
    private final Map<Name, Zone> children;
    private final InetSocketAddress authoritative;
    private final InetSocketAddress resolver;
    private Process nsd;
    private Process unbound;

    private DnssecWorld(Path directory, Zone parent, Map<Name, Zone> children, InetAddress nsdAddress, InetAddress unboundAddress) {
        this.directory = directory;
        this.parent = parent;
        this.children = children;
        this.authoritative = new InetSocketAddress(nsdAddress, DNS_PORT);
        this.resolver = new InetSocketAddress(unboundAddress, DNS_PORT);
    }

    /** Whether NSD, Unbound and the ldns tools are installed here. */
    public static boolean isInstalled() {
        return Stream.of(NSD, UNBOUND, UNBOUND_CONTROL, LDNS_KEYGEN, LDNS_SIGNZONE).allMatch(Files::isExecutable);
    }

    /** A world whose trust anchor is the parent zone {@code parent} (for example {@code "test"}). */
    public static Builder builder(String parent) {
        return new Builder(zoneName(parent));
    }

    /** The validating Unbound: a recursive resolver for names under the parent zone. */
    public InetSocketAddress resolver() {
        return resolver;
    }

    /** The authoritative NSD that serves the parent and every child zone. */
    public InetSocketAddress authoritative() {
        return authoritative;
    }

    /** The parent zone, the world's trust anchor. */
    public Name parent() {
        return parent.name;
    }

    /**
     * Replaces the records of child zone {@code zone} with {@code records} (zone-file lines, as
     * given to {@link Builder#zone}), signs it again as before with the same keys, restarts NSD and
     * drops the zone from Unbound's cache ({@code unbound-control flush_zone} over a Unix socket),
     * so the next query sees the new records.
     */
    public synchronized void update(String zone, String... records) {
        Zone child = children.get(zoneName(zone));
        if (child == null) {
            throw new IllegalArgumentException("not a child zone of this world: " + zone);
        }
        List<String> previous = child.records;
        child.records = List.of(records);
        child.serial++;
        try {
            writeZone(child);
        } catch (IOException | RuntimeException e) {
            child.records = previous;
            child.serial--;
            if (e instanceof IOException) {
                throw new UncheckedIOException((IOException) e);
            }
            throw (RuntimeException) e;
        }
        stop(nsd);
        awaitFree(authoritative);
        startNsd();
        run(directory, UNBOUND_CONTROL.toString(), "-c", directory.resolve("unbound.conf").toString(),
            "flush_zone", child.name.toString());
    }

    /**
     * The addresses of the name servers Unbound has queried so far, from its infrastructure cache
     * ({@code unbound-control dump_infra}): only {@link #authoritative()}'s, as nothing else is
     * ever asked.
     */
    public synchronized List<InetAddress> serversAsked() {
        String dump = run(directory, UNBOUND_CONTROL.toString(), "-c", directory.resolve("unbound.conf").toString(), "dump_infra");
        return dump.lines()
            .filter(line -> !line.isBlank())
            .map(line -> address(line.split(" ", 2)[0]))
            .distinct()
            .collect(Collectors.toList());
    }

    /** NSD's and Unbound's logs and console output. */
    public String log() {
        return Stream.of("nsd.log", "nsd.out", "unbound.log", "unbound.out")
            .map(directory::resolve)
            .filter(Files::exists)
            .map(file -> "== " + file.getFileName() + "\n" + ChildProcessSupport.read(file))
            .collect(Collectors.joining("\n"));
    }

    /** Stops Unbound and NSD and deletes their directory. */
    @Override
    public synchronized void close() {
        stop(unbound);
        stop(nsd);
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startIn() throws IOException {
        Files.createDirectories(directory.resolve("keys"));
        for (Zone zone : zones()) {
            zone.signingKey = zone.signing == Signing.UNSIGNED ? null : newKey(zone.name);
            zone.delegationKey = zone.signing == Signing.BOGUS ? newKey(zone.name) : zone.signingKey;
        }
        for (Zone child : children.values()) {
            writeZone(child);
        }
        writeZone(parent);
        Files.copy(directory.resolve("keys").resolve(parent.signingKey + ".ds"), directory.resolve("anchor"));
        writeNsdConf();
        writeUnboundConf();
        startNsd();
        unbound = launch("unbound", UNBOUND.toString(), "-d", "-c", directory.resolve("unbound.conf").toString());
        awaitAnswer(resolver, unbound, parent.name, Flags.AD);
    }

    private List<Zone> zones() {
        List<Zone> zones = new ArrayList<>();
        zones.add(parent);
        zones.addAll(children.values());
        return zones;
    }

    /** Makes a key signing key (flags 257), which signs the whole zone alone; returns its base name. */
    private String newKey(Name zone) {
        return run(directory.resolve("keys"), LDNS_KEYGEN.toString(), "-a", "ECDSAP256SHA256", "-k", zone.toString()).strip();
    }

    private void writeZone(Zone zone) throws IOException {
        Name nameServer = nameServer(parent.name);
        List<String> lines = new ArrayList<>(List.of(
            "$ORIGIN " + zone.name,
            "$TTL " + TTL_SECONDS,
            "@ IN SOA " + nameServer + " hostmaster." + parent.name + " " + zone.serial + " 3600 600 86400 " + TTL_SECONDS,
            "@ IN NS " + nameServer));
        if (zone == parent) {
            lines.add(nameServer + " IN A " + authoritative.getAddress().getHostAddress());
            for (Zone child : children.values()) {
                lines.add(child.name + " IN NS " + nameServer);
                if (child.delegationKey != null) {
                    lines.add(ChildProcessSupport.read(directory.resolve("keys").resolve(child.delegationKey + ".ds")).strip());
                }
            }
        }
        lines.addAll(zone.records);
        Path served = directory.resolve(zone.name + "zone");
        if (zone.signingKey == null) {
            Files.write(served, lines, StandardCharsets.UTF_8);
            return;
        }
        Path unsigned = directory.resolve(zone.name + "zone.unsigned");
        Files.write(unsigned, lines, StandardCharsets.UTF_8);
        Instant now = Instant.now();
        run(directory, LDNS_SIGNZONE.toString(),
            "-i", Long.toString(now.minus(SIGNATURE_BACKDATING).getEpochSecond()),
            "-e", Long.toString(now.plus(SIGNATURE_VALIDITY).getEpochSecond()),
            "-f", served.toString(),
            unsigned.toString(),
            directory.resolve("keys").resolve(zone.signingKey).toString());
    }

    private void writeNsdConf() throws IOException {
        List<String> conf = new ArrayList<>(List.of(
            "server:",
            "    ip-address: " + authoritative.getAddress().getHostAddress(),
            "    port: " + DNS_PORT,
            "    do-ip6: no",
            "    username: \"\"",
            "    chroot: \"\"",
            "    zonesdir: \"" + directory + "\"",
            "    database: \"\"",
            "    pidfile: \"" + directory.resolve("nsd.pid") + "\"",
            "    xfrdfile: \"" + directory.resolve("xfrd.state") + "\"",
            "    zonelistfile: \"" + directory.resolve("zone.list") + "\"",
            "    logfile: \"" + directory.resolve("nsd.log") + "\"",
            "    verbosity: 1",
            "    server-count: 1",
            "remote-control:",
            "    control-enable: no"));
        for (Zone zone : zones()) {
            conf.add("zone:");
            conf.add("    name: \"" + zone.name + "\"");
            conf.add("    zonefile: \"" + zone.name + "zone\"");
        }
        Files.write(directory.resolve("nsd.conf"), conf, StandardCharsets.UTF_8);
    }

    private void writeUnboundConf() throws IOException {
        String nsdAddress = authoritative.getAddress().getHostAddress();
        String own = resolver.getAddress().getHostAddress();
        // Root hints that name NSD alone: even a priming query for "." goes to loopback (and is refused).
        Files.write(directory.resolve("root.hints"), List.of(
            ". 3600000 IN NS ns.root-hints.invalid.",
            "ns.root-hints.invalid. 3600000 IN A " + nsdAddress), StandardCharsets.US_ASCII);
        Files.write(directory.resolve("unbound.conf"), List.of(
            "server:",
            "    interface: " + own,
            "    port: " + DNS_PORT,
            // Queries to NSD leave from loopback: from the resolver's own address when that is on loopback.
            "    outgoing-interface: " + (resolver.getAddress().isLoopbackAddress() ? own : "127.0.0.1"),
            "    do-ip6: no",
            "    access-control: 127.0.0.0/8 allow",
            "    access-control: " + own + "/32 allow",
            "    do-not-query-localhost: no",
            "    username: \"\"",
            "    chroot: \"\"",
            "    directory: \"" + directory + "\"",
            "    pidfile: \"" + directory.resolve("unbound.pid") + "\"",
            "    use-syslog: no",
            "    logfile: \"" + directory.resolve("unbound.log") + "\"",
            "    verbosity: 1",
            "    val-log-level: 2",
            "    num-threads: 1",
            "    module-config: \"validator iterator\"",
            "    trust-anchor-file: \"" + directory.resolve("anchor") + "\"",
            "    root-hints: \"" + directory.resolve("root.hints") + "\"",
            "    qname-minimisation: no",
            "    harden-referral-path: no",
            "    aggressive-nsec: no",
            "    prefetch: no",
            "    trust-anchor-signaling: no",
            "    root-key-sentinel: no",
            // Unbound answers names under test., invalid. and the like itself (RFC 6761) unless told not to.
            "    local-zone: \"" + parent.name + "\" nodefault",
            "remote-control:",
            "    control-enable: yes",
            "    control-interface: \"" + directory.resolve("unbound.ctl") + "\"",
            "    control-use-cert: no",
            "stub-zone:",
            "    name: \"" + parent.name + "\"",
            "    stub-addr: " + nsdAddress + "@" + DNS_PORT), StandardCharsets.UTF_8);
    }

    private void startNsd() {
        nsd = launch("nsd", NSD.toString(), "-d", "-c", directory.resolve("nsd.conf").toString());
        for (Zone zone : zones()) {
            awaitAnswer(authoritative, nsd, zone.name, Flags.AA);
        }
    }

    private Process launch(String name, String... command) {
        try {
            return new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve(name + ".out").toFile())
                .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until {@code server} answers the SOA of {@code zone} with {@code flag} set: from NSD,
     * AA shows it loaded the zone; from Unbound, AD shows the trust anchor and signatures work.
     */
    private void awaitAnswer(InetSocketAddress server, Process process, Name zone, int flag) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        Message query = Message.newQuery(Record.newRecord(zone, Type.SOA, DClass.IN));
        query.getHeader().setFlag(Flags.AD);
        SimpleResolver client = new SimpleResolver(server);
        client.setTimeout(QUERY_TIMEOUT);
        String last = "no answer";
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(process.info().command().orElse("server") + " exited with "
                    + process.exitValue() + "; log:\n" + log());
            }
            try {
                Message answer = client.send(query);
                if (answer.getRcode() == Rcode.NOERROR && answer.getHeader().getFlag(flag)) {
                    return;
                }
                last = answer.toString();
            } catch (IOException e) {
                last = e.toString();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(server + " gives no " + Flags.string(flag) + " answer for "
                    + zone + " SOA: " + last + "\nlog:\n" + log());
            }
            ChildProcessSupport.pause();
        }
    }

    /** Stops a server: SIGTERM, SIGKILL if it lingers, and SIGKILL for any process it forked. */
    private static void stop(Process process) {
        if (process == null) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().collect(Collectors.toList());
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * Waits until nothing holds UDP and TCP port 53 of {@code address} any more (NSD's forked
     * server child holds its sockets and may outlive the main process for a moment).
     */
    private void awaitFree(InetSocketAddress address) {
        Instant deadline = Instant.now().plus(STOP_TIMEOUT);
        while (true) {
            try (DatagramSocket udp = new DatagramSocket(address); ServerSocket tcp = new ServerSocket()) {
                tcp.setReuseAddress(true);
                tcp.bind(address);
                return;
            } catch (IOException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(address + " is still in use after " + STOP_TIMEOUT + "; log:\n" + log(), e);
                }
            }
            ChildProcessSupport.pause();
        }
    }

    /** Runs a tool to its end and returns its output; fails if it exits with other than 0. */
    private static String run(Path workingDirectory, String... command) {
        try {
            Process process = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The name of NSD in the parent zone, {@code ns.<parent>}, which every zone names in its NS. */
    private static Name nameServer(Name parent) {
        try {
            return Name.concatenate(Name.fromConstantString("ns"), parent);
        } catch (NameTooLongException e) {
            throw new IllegalArgumentException("parent name too long: " + parent, e);
        }
    }

    private static Name zoneName(String name) {
        if (!ZONE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a zone name: " + name);
        }
        try {
            return Name.fromString(name.toLowerCase(Locale.ROOT), Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a zone name: " + name, e);
        }
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new IllegalStateException("not an address in unbound-control dump_infra: " + text, e);
        }
    }

    /** A zone's settings and, while the world runs, its records and keys. */
    private static final class Zone {
        private final Name name;
        private final Signing signing;
        private List<String> records;
        private int serial = 1;
        /** Base name of the key that signs the zone, or null if it is not signed. */
        private String signingKey;
        /** Base name of the key whose DS the parent publishes, or null for none. */
        private String delegationKey;

        private Zone(Name name, Signing signing, List<String> records) {
            this.name = name;
            this.signing = signing;
            this.records = records;
        }
    }

    /** Configures a {@link DnssecWorld}. */
    public static final class Builder {
        private final Name parent;
        private final Map<Name, Zone> children = new LinkedHashMap<>();

        private InetAddress resolverAddress;

        private Builder(Name parent) {
            this.parent = parent;
        }

        /**
         * Unbound listens on {@code address} instead of a loopback address of its own: an address of this host that is
         * not on loopback, such as the host end of a {@link VethLink}, to stand for a resolver across a network.
         */
        public Builder resolverAddress(InetAddress address) {
            this.resolverAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * Adds child zone {@code name}, directly or further below the parent, with these records:
         * zone-file lines, relative names taken from the zone's origin and a TTL of 300 where none
         * is given. The SOA and the apex NS are written for it.
         */
        public Builder zone(String name, Signing signing, String... records) {
            Name zone = zoneName(name);
            Objects.requireNonNull(signing, "signing");
            if (!zone.subdomain(parent) || zone.equals(parent)) {
                throw new IllegalArgumentException(zone + " is not below the parent " + parent);
            }
            if (nameServer(parent).subdomain(zone)) {
                throw new IllegalArgumentException(zone + " would hide the name server " + nameServer(parent));
            }
            for (Name other : children.keySet()) {
                if (zone.subdomain(other) || other.subdomain(zone)) {
                    throw new IllegalArgumentException(zone + " overlaps the zone " + other);
                }
            }
            children.put(zone, new Zone(zone, signing, List.of(records)));
            return this;
        }

        /** Signs the zones, starts NSD and Unbound and waits until Unbound validates the parent. */
        public DnssecWorld start() {
            Path directory;
            try {
                directory = Files.createTempDirectory("dnssec-world");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<Name, Zone> zones = new LinkedHashMap<>();
            children.values().forEach(zone -> zones.put(zone.name, new Zone(zone.name, zone.signing, zone.records)));
            InetAddress nsdAddress = LoopbackAddresses.next();
            InetAddress unboundAddress = resolverAddress != null ? resolverAddress : LoopbackAddresses.next();
            while (unboundAddress.equals(nsdAddress)) {
                unboundAddress = LoopbackAddresses.next();
            }
            DnssecWorld world = new DnssecWorld(directory, new Zone(parent, Signing.SIGNED, List.of()), zones,
                nsdAddress, unboundAddress);
            try {
                world.startIn();
            } catch (IOException | RuntimeException e) {
                world.close();
                if (e instanceof IOException) {
                    throw new UncheckedIOException((IOException) e);
                }
                throw (RuntimeException) e;
            }
            return world;
        }
    }
}

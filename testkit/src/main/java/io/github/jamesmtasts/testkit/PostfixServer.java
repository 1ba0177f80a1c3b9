package io.github.jamesmtasts.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Postfix (the Debian package, not code of this project) run by a test as an MX host on
 * {@code address:25}, with its own configuration, queue and mail directories under a test
 * directory. It accepts mail for the mailboxes it is given at one domain (others get Postfix's own
 * {@code 550 5.1.1}), delivers them to Maildirs the test can read, and offers STARTTLS with a
 * certificate of the test's choice. Needs root (port 25, Postfix's own users) and
 * {@code /usr/sbin/postfix}; see {@link #isInstalled()}.
 */
public final class PostfixServer implements AutoCloseable {
    private static final Path POSTFIX = Path.of("/usr/sbin/postfix");
    private static final int SMTP_PORT = 25;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Path directory;
    private final InetAddress address;
    private final Path resolvConf;

    private PostfixServer(Path directory, InetAddress address, Path resolvConf) {
        this.directory = directory;
        this.address = address;
        this.resolvConf = resolvConf;
    }

    /** Whether the Postfix package is installed here. */
    public static boolean isInstalled() {
        return Files.isExecutable(POSTFIX);
    }

    public static Builder builder(Path directory, InetAddress address) {
        return new Builder(directory, address);
    }

    public InetAddress address() {
        return address;
    }

    /** Waits until {@code count} messages were delivered to {@code mailbox} and returns them, oldest first. */
    public List<String> awaitMessages(String mailbox, int count, Duration timeout) {
        Path newMail = directory.resolve("mail").resolve(mailbox).resolve("new");
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<Path> files = list(newMail);
            if (files.size() >= count) {
                return files.stream().map(ChildProcessSupport::read).collect(Collectors.toList());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(files.size() + " of " + count + " messages for " + mailbox
                    + " after " + timeout + "; log:\n" + log());
            }
            ChildProcessSupport.pause();
        }
    }

    /** The process id of this instance's {@code master} daemon, the parent of all its other processes. */
    public long masterPid() {
        return Long.parseLong(ChildProcessSupport.read(directory.resolve("queue/pid/master.pid")).trim());
    }

    /** How many messages are in this instance's hold queue (an access table's {@code HOLD} puts them there). */
    public int heldMessages() {
        return list(directory.resolve("queue/hold")).size();
    }

    /**
     * Releases every held message ({@code postsuper -H ALL}, into the deferred queue) and asks for their delivery
     * at once ({@code postqueue -f}).
     */
    public void releaseHeld() {
        command(List.of("/usr/sbin/postsuper", "-c", directory.resolve("etc").toString(), "-H", "ALL"));
        command(List.of("/usr/sbin/postqueue", "-c", directory.resolve("etc").toString(), "-f"));
    }

    private void command(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(command + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Postfix's log of this instance. */
    public String log() {
        Path log = directory.resolve("maillog");
        return Files.exists(log) ? ChildProcessSupport.read(log) : "";
    }

    /** Stops Postfix and waits until port 25 is closed. */
    @Override
    public void close() {
        run("stop");
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (listening() && Instant.now().isBefore(deadline)) {
            ChildProcessSupport.pause();
        }
    }

    private void start() {
        run("start");
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!listening()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Postfix is not listening on " + address + ":25; log:\n" + log());
            }
            ChildProcessSupport.pause();
        }
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, SMTP_PORT), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void run(String command) {
        try {
            List<String> postfix = List.of(POSTFIX.toString(), "-c", directory.resolve("etc").toString(), command);
            // Started with a resolv.conf of its own: in a mount namespace where that file is /etc/resolv.conf, which
            // the master daemon and every process it starts keep. Stopping is a signal to the master: no namespace.
            ProcessBuilder builder = new ProcessBuilder(resolvConf == null || !"start".equals(command) ? postfix
                : withPrefix(List.of("unshare", "--mount", "sh", "-c",
                    "mount --bind \"$0\" /etc/resolv.conf && exec \"$@\"", resolvConf.toString()), postfix));
            Process process = builder.redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("postfix " + command + " failed: " + output + "\nlog:\n" + log());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> withPrefix(List<String> prefix, List<String> command) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(command);
        return all;
    }

    private static List<Path> list(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Configures a {@link PostfixServer}. */
    public static final class Builder {
        private final Path directory;
        private final InetAddress address;
        private String hostname = "mx.postfix.test";
        private String domain = "rcpt.test";
        private final List<String> mailboxes = new ArrayList<>();
        private TestCa.Issued certificate;
        private long messageSizeLimit = 10_240_000;
        private final List<String> extraMainCf = new ArrayList<>();
        private boolean relay;
        private Path resolvConf;

        private Builder(Path directory, InetAddress address) {
            this.directory = Objects.requireNonNull(directory, "directory");
            this.address = Objects.requireNonNull(address, "address");
        }

        /** The name Postfix gives in its greeting and EHLO reply. */
        public Builder hostname(String name) {
            this.hostname = name;
            return this;
        }

        /** The domain Postfix takes mail for. */
        public Builder domain(String name) {
            this.domain = name;
            return this;
        }

        /** Local parts that exist at the domain; mail to any other is refused at RCPT. */
        public Builder mailboxes(String... localParts) {
            mailboxes.addAll(List.of(localParts));
            return this;
        }

        /** Offers STARTTLS with this certificate; without one, no STARTTLS. */
        public Builder certificate(TestCa.Issued issued) {
            this.certificate = issued;
            return this;
        }

        /** Postfix's {@code message_size_limit}, announced in {@code SIZE}. */
        public Builder messageSizeLimit(long octets) {
            this.messageSizeLimit = octets;
            return this;
        }

        /**
         * Adds {@code main.cf} lines, for example access maps that make Postfix refuse or stall at a
         * chosen step ({@code smtpd_sender_restrictions = check_sender_access inline:{...}}).
         */
        public Builder mainCf(String... lines) {
            extraMainCf.addAll(List.of(lines));
            return this;
        }

        /**
         * Makes a sending Postfix: mail to domains other than {@link #domain(String)} goes out through Postfix's
         * {@code smtp} client, which looks up MX hosts in DNS (instead of the test server's refusal of all mail out).
         * Only with {@link #resolvConf(Path)}, so that DNS is the test's and never the machine's resolver.
         */
        public Builder relay() {
            this.relay = true;
            return this;
        }

        /**
         * Runs Postfix in a mount namespace of its own where this file is {@code /etc/resolv.conf} (its DNS
         * look-ups then go to the name servers it lists, for example a test DNS server on loopback).
         */
        public Builder resolvConf(Path file) {
            this.resolvConf = file;
            return this;
        }

        public PostfixServer start() {
            if (relay && resolvConf == null) {
                throw new IllegalStateException("a relaying Postfix needs a resolv.conf of its own (resolvConf)");
            }
            try {
                return startIn(directory);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private PostfixServer startIn(Path base) throws IOException {
            Path etc = Files.createDirectories(base.resolve("etc"));
            Path queue = Files.createDirectories(base.resolve("queue"));
            Path data = Files.createDirectories(base.resolve("data"));
            Path mail = Files.createDirectories(base.resolve("mail"));
            // Postfix's daemons run as the postfix user and deliver as nobody: they must reach these.
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
            UserPrincipalLookupService users = base.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(data, users.lookupPrincipalByName("postfix"));
            Files.setOwner(mail, users.lookupPrincipalByName("nobody"));
            Files.getFileAttributeView(mail, PosixFileAttributeView.class).setGroup(users.lookupPrincipalByGroupName("nogroup"));
            int mailUid = (Integer) Files.getAttribute(mail, "unix:uid");
            int mailGid = (Integer) Files.getAttribute(mail, "unix:gid");

            String maps = mailboxes.stream()
                .map(local -> "{" + local + "@" + domain + "=" + local + "/}")
                .collect(Collectors.joining(" ", "inline:{ ", " }"));
            List<String> main = new ArrayList<>(List.of(
                "compatibility_level = 3.6",
                "queue_directory = " + queue,
                "data_directory = " + data,
                "mail_owner = postfix",
                "setgid_group = postdrop",
                "myhostname = " + hostname,
                "mydomain = " + hostname,
                "myorigin = " + hostname,
                "mydestination =",
                "inet_interfaces = loopback-only",
                "inet_protocols = ipv4",
                "mynetworks = 127.0.0.0/8",
                "smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination",
                "virtual_mailbox_domains = " + domain,
                "virtual_mailbox_base = " + mail,
                "virtual_mailbox_maps = " + (mailboxes.isEmpty() ? "inline:{ }" : maps),
                "virtual_uid_maps = static:" + mailUid,
                "virtual_gid_maps = static:" + mailGid,
                "virtual_minimum_uid = 1",
                "message_size_limit = " + messageSizeLimit,
                "virtual_mailbox_limit = 0",
                "smtputf8_enable = yes",
                "maillog_file = " + base.resolve("maillog"),
                "maillog_file_prefixes = " + base,
                "alias_maps =",
                "alias_database =",
                "biff = no",
                // Tests talk to loopback only: no reverse lookups of clients, no DNS, no mail out
                // (bounces and notices included).
                "smtpd_peername_lookup = no",
                "notify_classes ="));
            if (!relay) {
                main.add("smtp_dns_support_level = disabled");
                main.add("default_transport = error:no mail leaves a test server");
                main.add("relay_transport = error:no mail leaves a test server");
            }
            if (certificate != null) {
                Path chain = etc.resolve("chain.pem");
                Files.writeString(chain, pem(certificate), StandardCharsets.US_ASCII);
                Files.setPosixFilePermissions(chain, PosixFilePermissions.fromString("rw-------"));
                main.add("smtpd_tls_security_level = may");
                main.add("smtpd_tls_chain_files = " + chain);
            } else {
                main.add("smtpd_tls_security_level = none");
            }
            main.addAll(extraMainCf);
            Files.write(etc.resolve("main.cf"), main, StandardCharsets.UTF_8);
            Files.write(etc.resolve("master.cf"), List.of(
                address.getHostAddress() + ":" + SMTP_PORT + " inet n - n - - smtpd",
                "pickup unix n - n 60 1 pickup",
                "cleanup unix n - n - 0 cleanup",
                "qmgr unix n - n 300 1 qmgr",
                "tlsmgr unix - - n 1000? 1 tlsmgr",
                "rewrite unix - - n - - trivial-rewrite",
                "bounce unix - - n - 0 bounce",
                "defer unix - - n - 0 bounce",
                "trace unix - - n - 0 bounce",
                "verify unix - - n - 1 verify",
                "flush unix n - n 1000? 0 flush",
                "proxymap unix - - n - - proxymap",
                "smtp unix - - n - - smtp",
                "error unix - - n - - error",
                "retry unix - - n - - error",
                "discard unix - - n - - discard",
                "virtual unix - n n - - virtual",
                "anvil unix - - n - 1 anvil",
                "scache unix - - n - 1 scache",
                "postlog unix-dgram n - n - 1 postlogd"), StandardCharsets.US_ASCII);
            PostfixServer server = new PostfixServer(base, address, resolvConf);
            server.start();
            return server;
        }

        /** Postfix's {@code smtpd_tls_chain_files} format: the key, then the certificates, leaf first. */
        private static String pem(TestCa.Issued issued) {
            StringBuilder pem = new StringBuilder("-----BEGIN PRIVATE KEY-----\n")
                .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(issued.keyPair().getPrivate().getEncoded()))
                .append("\n-----END PRIVATE KEY-----\n");
            for (X509Certificate certificate : issued.chain()) {
                pem.append(TestCa.pem(certificate));
            }
            return pem.toString();
        }
    }
}

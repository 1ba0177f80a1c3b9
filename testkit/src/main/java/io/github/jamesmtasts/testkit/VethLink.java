package io.github.jamesmtasts.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace of the test's own, joined to this host by a veth pair with a /30 of 10.250.0.0/16: the host end
 * has an address that is not on loopback, so a server bound to it stands for one across a network (a resolver whose
 * AD bit a sender must not believe, RFC 7672 §8.1), while every packet stays on this machine. Made with iproute2
 * ({@code ip netns}, {@code ip link}); needs root. {@link #close()} removes both.
 */
public final class VethLink implements AutoCloseable {
    private final String namespace;
    private final String hostInterface;
    private final InetAddress hostAddress;
    private final InetAddress peerAddress;

    private VethLink(String namespace, String hostInterface, InetAddress hostAddress, InetAddress peerAddress) {
        this.namespace = namespace;
        this.hostInterface = hostInterface;
        this.hostAddress = hostAddress;
        this.peerAddress = peerAddress;
    }

    /** Whether {@code ip} is installed here. */
    public static boolean isAvailable() {
        return new java.io.File("/usr/sbin/ip").canExecute() || new java.io.File("/sbin/ip").canExecute();
    }

    /** A new namespace and link, up, with fresh addresses. */
    public static VethLink create() {
        int subnet = ThreadLocalRandom.current().nextInt(1 << 14);
        String suffix = Integer.toString(subnet, 36) + Long.toString(ProcessHandle.current().pid() % 1000, 36);
        String namespace = "mtasts-" + suffix;
        String hostInterface = "mtv" + suffix + "h";
        String peerInterface = "mtv" + suffix + "p";
        int third = subnet >> 6;
        int fourth = (subnet & 63) << 2;
        String host = "10.250." + third + "." + (fourth + 1);
        String peer = "10.250." + third + "." + (fourth + 2);
        VethLink link;
        try {
            link = new VethLink(namespace, hostInterface, InetAddress.getByName(host), InetAddress.getByName(peer));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        try {
            ip("netns", "add", namespace);
            ip("link", "add", hostInterface, "type", "veth", "peer", "name", peerInterface);
            ip("link", "set", peerInterface, "netns", namespace);
            ip("addr", "add", host + "/30", "dev", hostInterface);
            ip("link", "set", hostInterface, "up");
            ip("netns", "exec", namespace, "ip", "addr", "add", peer + "/30", "dev", peerInterface);
            ip("netns", "exec", namespace, "ip", "link", "set", peerInterface, "up");
            ip("netns", "exec", namespace, "ip", "link", "set", "lo", "up");
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
        return link;
    }

    /** The host end's address: on this host, not on loopback. */
    public InetAddress hostAddress() {
        return hostAddress;
    }

    /** The namespace end's address. */
    public InetAddress peerAddress() {
        return peerAddress;
    }

    /** The namespace's name, for {@code ip netns exec}. */
    public String namespace() {
        return namespace;
    }

    @Override
    public void close() {
        quietly("link", "del", hostInterface);
        quietly("netns", "del", namespace);
    }

    private static void quietly(String... arguments) {
        try {
            ip(arguments);
        } catch (RuntimeException ignored) {
            // already gone
        }
    }

    private static void ip(String... arguments) {
        List<String> command = new java.util.ArrayList<>(List.of("ip"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end in 10 s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output.trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

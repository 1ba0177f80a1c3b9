package io.github.jamesmtasts.smtp;

import java.net.InetAddress;
import java.util.Objects;

/** One address of one MX host: the name certificates are checked against, and where to connect. */
public final class MxTarget {
    private final String hostname;
    private final InetAddress address;
    private final int port;

    public MxTarget(String hostname, InetAddress address, int port) {
        this.hostname = Objects.requireNonNull(hostname, "hostname");
        this.address = Objects.requireNonNull(address, "address");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.port = port;
    }

    /** The MX host name as an A-label without a trailing dot; SNI and the certificate check use it. */
    public String hostname() {
        return hostname;
    }

    public InetAddress address() {
        return address;
    }

    public int port() {
        return port;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MxTarget)) {
            return false;
        }
        MxTarget other = (MxTarget) o;
        return hostname.equals(other.hostname) && address.equals(other.address) && port == other.port;
    }

    @Override
    public int hashCode() {
        return Objects.hash(hostname, address, port);
    }

    @Override
    public String toString() {
        return hostname + "[" + address.getHostAddress() + "]:" + port;
    }
}

package io.github.jamesmtasts.smtp;

import io.github.jamesmtasts.dane.HostTlsa;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One address of one MX host: the name certificates are checked against, where to connect and, under DANE, the
 * host's TLSA records (RFC 7672 §2.2).
 */
public final class MxTarget {
    private final String hostname;
    private final InetAddress address;
    private final int port;
    private final HostTlsa tlsa;

    public MxTarget(String hostname, InetAddress address, int port) {
        this(hostname, address, port, null);
    }

    private MxTarget(String hostname, InetAddress address, int port, HostTlsa tlsa) {
        this.hostname = Objects.requireNonNull(hostname, "hostname");
        this.address = Objects.requireNonNull(address, "address");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.port = port;
        this.tlsa = tlsa;
    }

    /** The same target, its certificate to be checked against these TLSA records ({@link TlsStance#DANE}). */
    public MxTarget withTlsa(HostTlsa records) {
        return new MxTarget(hostname, address, port, Objects.requireNonNull(records, "records"));
    }

    /** The host's secure TLSA records, when DANE applies to it. */
    public Optional<HostTlsa> tlsa() {
        return Optional.ofNullable(tlsa);
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
        return hostname.equals(other.hostname) && address.equals(other.address) && port == other.port
            && Objects.equals(tlsa, other.tlsa);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hostname, address, port, tlsa);
    }

    @Override
    public String toString() {
        return hostname + "[" + address.getHostAddress() + "]:" + port;
    }
}

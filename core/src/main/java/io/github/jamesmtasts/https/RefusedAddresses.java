package io.github.jamesmtasts.https;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The addresses a host on the Internet must not make this server connect to: its own machine and
 * the networks that are not routed on the Internet. A policy host or a report endpoint named by a
 * remote domain resolving to one of these is refused (server-side request forgery).
 */
final class RefusedAddresses {
    private RefusedAddresses() {
    }

    /**
     * Loopback, unspecified ({@code 0.0.0.0/8}, {@code ::}), private (RFC 1918), shared (RFC 6598),
     * link-local (RFC 3927, RFC 4291), unique-local (RFC 4193), site-local and multicast addresses.
     */
    static boolean isRefused(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
            || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            boolean thisNetwork = first == 0;
            boolean shared = first == 100 && (second & 0xc0) == 64;
            return thisNetwork || shared;
        }
        return address instanceof Inet6Address && (bytes[0] & 0xfe) == 0xfc;
    }
}

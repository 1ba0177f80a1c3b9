package io.github.jamesmtasts.dns;

import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether the AD bit of the DNS servers this server asks can be believed (RFC 6698 §4.1, RFC 7672 §2.1): only a
 * validating resolver on the same host (loopback: nobody on the path can set the bit) or one the admin lists as
 * trusted (reached over a path the admin vouches for). Any other resolver's AD bit proves nothing, so DANE does
 * not apply with it. Immutable.
 */
public final class ResolverTrust {
    private final boolean trusted;
    private final String reason;

    private ResolverTrust(boolean trusted, String reason) {
        this.trusted = trusted;
        this.reason = reason;
    }

    /** The trust in the servers of {@code resolver}: all of them must be on loopback or in {@code listed}. */
    public static ResolverTrust of(Resolver resolver, Set<InetAddress> listed) {
        List<InetAddress> servers = servers(resolver);
        if (servers.isEmpty()) {
            return new ResolverTrust(false, "the DNS servers are not known (" + resolver + ")");
        }
        List<InetAddress> untrusted = servers.stream()
            .filter(server -> !server.isLoopbackAddress() && !listed.contains(server)).collect(Collectors.toList());
        String named = servers.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", "));
        return untrusted.isEmpty()
            ? new ResolverTrust(true, "the DNS servers " + named + " are on loopback or listed as trusted")
            : new ResolverTrust(false, "the DNS servers " + untrusted.stream().map(InetAddress::getHostAddress)
                .collect(Collectors.joining(", ")) + " are neither on loopback nor listed as trusted (dane.trustedResolvers)");
    }

    /** Trust given or refused outright, with the reason (tests, and the {@code mta-sts} command's {@code --dns}). */
    public static ResolverTrust of(boolean trusted, String reason) {
        return new ResolverTrust(trusted, Objects.requireNonNull(reason, "reason"));
    }

    private static List<InetAddress> servers(Resolver resolver) {
        List<InetAddress> servers = new ArrayList<>();
        if (resolver instanceof ExtendedResolver) {
            for (Resolver each : ((ExtendedResolver) resolver).getResolvers()) {
                servers.addAll(servers(each));
            }
        } else if (resolver instanceof SimpleResolver) {
            servers.add(((SimpleResolver) resolver).getAddress().getAddress());
        }
        return servers;
    }

    /** Whether an AD bit from these servers means the answer was validated. */
    public boolean trusted() {
        return trusted;
    }

    /** Why, in a sentence for the log at start. */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return (trusted ? "AD bit trusted: " : "AD bit not trusted: ") + reason;
    }
}

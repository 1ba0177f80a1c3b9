package io.github.jamesmtasts.testkit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out loopback addresses (127.0.0.0/8) for test servers that must sit on fixed ports
 * (DNS on 53, HTTPS on 443, SMTP on 25). Each call picks a random address in 127.x.y.z with
 * x in 100..254, so test classes and parallel builds rarely meet; addresses below 127.100 are
 * left for whatever else runs on the machine. Only loopback is ever returned.
 */
public final class LoopbackAddresses {
    private LoopbackAddresses() {
    }

    /** A random address in 127.100.0.1 .. 127.254.255.254. */
    public static InetAddress next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] address = {127, (byte) random.nextInt(100, 255), (byte) random.nextInt(0, 256), (byte) random.nextInt(1, 255)};
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns {@code address} if it is a loopback address: test servers never listen anywhere else. */
    public static InetAddress requireLoopback(InetAddress address) {
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("test servers bind loopback addresses only: " + address);
        }
        return address;
    }
}

package io.github.jamesmtasts.https;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** The networks a remote domain must not point this server at. Literals only: no DNS is asked. */
class RefusedAddressesTest {
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.200.3.4", "::1", "0.0.0.0", "::", "10.1.2.3", "172.16.0.1", "172.31.255.255",
        "192.168.1.1", "169.254.169.254", "100.64.0.1", "fe80::1", "fc00::1", "fd12:3456::1", "224.0.0.1", "::ffff:127.0.0.1",
        "::ffff:10.0.0.1"})
    void refusesLocalAndPrivateNetworks(String literal) throws Exception {
        assertThat(RefusedAddresses.isRefused(InetAddress.getByName(literal))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "172.32.0.1", "100.128.0.1", "192.0.2.1", "2001:db8::1", "2a00:1450::1"})
    void allowsInternetAddresses(String literal) throws Exception {
        assertThat(RefusedAddresses.isRefused(InetAddress.getByName(literal))).isFalse();
    }
}

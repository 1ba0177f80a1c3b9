package io.github.jamesmtasts.tlsrpt.receiving;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ReportParserTest {
    @ParameterizedTest
    @ValueSource(strings = {"::", "::1", "1::", "2001:db8::1", "2001:db8:abcd:0012::1", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6::8",
        "::ffff:192.0.2.1", "1:2:3:4:5:6:192.0.2.1", "fe80::1:2", "ABCD:ef01::"})
    void takesIpv6Addresses(String address) {
        assertThat(ReportParser.isIpv6(address)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", ":::", "1:2", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8", "12345::", "g::",
        "::1.2.3", "1.2.3.4::", "1:2:3:4:5:6:7:192.0.2.1", ":1::", "1::2:", "::1 ", "fe80::1%eth0", "192.0.2.1"})
    void refusesWhatIsNoIpv6Address(String text) {
        assertThat(ReportParser.isIpv6(text)).isFalse();
    }
}

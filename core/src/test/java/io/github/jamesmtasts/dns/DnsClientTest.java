package io.github.jamesmtasts.dns;

import io.github.jamesmtasts.testkit.LoopbackAddresses;
import io.github.jamesmtasts.testkit.TestDnsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** DnsClient against a real DNS server on loopback. */
class DnsClientTest {
    private static TestDnsServer dns;
    private static DnsClient client;

    @BeforeAll
    static void start() {
        dns = TestDnsServer.start(LoopbackAddresses.next(), 0);
        client = DnsClient.using(dns.resolver());
    }

    @AfterAll
    static void stop() {
        dns.close();
    }

    @Test
    void joinsTheCharacterStringsOfOneTxtRecord() {
        dns.txt("_mta-sts.split.example", "v=STSv1; ", "id=20240101");
        assertThat(client.txt("_mta-sts.split.example").join().records()).containsExactly("v=STSv1; id=20240101");
    }

    @Test
    void keepsSeveralTxtRecordsApart() {
        dns.txt("_mta-sts.two.example", "v=STSv1; id=1").txt("_mta-sts.two.example", "v=STSv1; id=2");
        assertThat(client.txt("_mta-sts.two.example").join().records())
            .containsExactlyInAnyOrder("v=STSv1; id=1", "v=STSv1; id=2");
    }

    @Test
    void followsCnames() {
        dns.cname("_mta-sts.alias.example", "_mta-sts.target.example").txt("_mta-sts.target.example", "v=STSv1; id=7");
        assertThat(client.txt("_mta-sts.alias.example").join().records()).containsExactly("v=STSv1; id=7");
    }

    @Test
    void tellsNxdomainNodataAndServfailApart() {
        dns.a("nodata.example", "127.0.0.1").rcode("servfail.example", Type.TXT, Rcode.SERVFAIL);
        assertThat(client.txt("nowhere.example").join().status()).isEqualTo(DnsAnswer.Status.NO_SUCH_DOMAIN);
        assertThat(client.txt("nodata.example").join().status()).isEqualTo(DnsAnswer.Status.NO_RECORDS);
        assertThat(client.txt("servfail.example").join().status()).isEqualTo(DnsAnswer.Status.TEMPORARY_FAILURE);
    }

    @Test
    void sortsMxByPreferenceAndRecognisesNullMx() {
        dns.mx("mail.example", 20, "mx2.mail.example").mx("mail.example", 10, "MX1.mail.example.");
        dns.mx("nullmx.example", 0, ".");
        assertThat(client.mx("mail.example").join().records())
            .containsExactly(new MxHost("mx1.mail.example", 10), new MxHost("mx2.mail.example", 20));
        assertThat(client.mx("nullmx.example").join().records()).singleElement().matches(MxHost::isNullMx);
    }

    @Test
    void combinesIpv4AndIpv6Addresses() throws Exception {
        dns.a("host.example", "127.0.0.5").aaaa("host.example", "::1");
        assertThat(client.addresses("host.example").join().records())
            .isEqualTo(List.of(InetAddress.getByName("127.0.0.5"), InetAddress.getByName("::1")));
    }

    @Test
    void readsLargeAnswersOverTcp() {
        String[] strings = new String[12];
        for (int i = 0; i < strings.length; i++) {
            strings[i] = "x".repeat(200);
        }
        dns.txt("big.example", strings);
        assertThat(client.txt("big.example").join().records()).singleElement()
            .satisfies(text -> assertThat(text).hasSize(2400));
    }
}

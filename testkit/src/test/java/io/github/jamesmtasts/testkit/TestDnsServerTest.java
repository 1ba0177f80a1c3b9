package io.github.jamesmtasts.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestDnsServerTest {
    private TestDnsServer dns;

    @BeforeEach
    void start() {
        dns = TestDnsServer.start(LoopbackAddresses.next());
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void listensOnPort53UnlessToldOtherwise() {
        assertThat(dns.port()).isEqualTo(53);
        try (TestDnsServer other = TestDnsServer.start(LoopbackAddresses.next(), 0)) {
            other.a("any.example", "127.0.0.9");
            assertThat(other.port()).isNotZero().isNotEqualTo(53);
            assertThat(lookup(other.resolver(), "any.example.", Type.A).run()).hasSize(1);
        }
    }

    @Test
    void refusesToListenOutsideLoopback() throws Exception {
        InetAddress elsewhere = InetAddress.getByAddress(new byte[] {10, 0, 0, 1});
        assertThatThrownBy(() -> TestDnsServer.start(elsewhere)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void answersOneTxtRecordOfSeveralStringsOverUdpAndTcp() throws Exception {
        dns.txt("_mta-sts.example.com", "v=STSv1; ", "id=20240101;");
        SimpleResolver tcp = dns.resolver();
        tcp.setTCP(true);

        for (SimpleResolver resolver : List.of(dns.resolver(), tcp)) {
            Record[] answers = lookup(resolver, "_mta-sts.example.com.", Type.TXT).run();
            assertThat(answers).hasSize(1);
            assertThat(((TXTRecord) answers[0]).getStrings()).containsExactly("v=STSv1; ", "id=20240101;");
        }
        assertThat(dns.queries("_mta-sts.example.com", Type.TXT)).isEqualTo(2);
    }

    @Test
    void eachTxtCallAddsOneRecord() {
        dns.txt("two.example", "v=STSv1; id=1").txt("two.example", "v=STSv1; id=2");

        assertThat(lookup(dns.resolver(), "two.example.", Type.TXT).run()).hasSize(2);
    }

    @Test
    void keepsTheExactOctetsOfCharacterStrings() throws Exception {
        String tricky = "v=STSv1; id=\u00e9\\\"x\"";
        dns.txt("bytes.example", tricky);

        TXTRecord answer = (TXTRecord) query(dns.resolver(), "bytes.example.", Type.TXT).getSection(Section.ANSWER).get(0);
        assertThat(answer.getStringsAsByteArrays()).containsExactly(tricky.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rejectsCharacterStringsThatCannotExist() {
        dns.txt("max.example", "x".repeat(255));

        assertThatThrownBy(() -> dns.txt("too-long.example", "x".repeat(256))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dns.txt("too-long.example", "\u00e9".repeat(128))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tellsUnknownNamesFromNamesWithoutTheAskedType() throws Exception {
        dns.a("host.example", "127.0.0.5").txt("_mta-sts.parent.example", "v=STSv1; id=1");

        assertThat(query(dns.resolver(), "nowhere.example.", Type.TXT).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        Message nodata = query(dns.resolver(), "host.example.", Type.TXT);
        assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
        assertThat(query(dns.resolver(), "parent.example.", Type.MX).getRcode())
            .as("a name above a name with records exists (empty non-terminal)").isEqualTo(Rcode.NOERROR);
        assertThat(lookup(dns.resolver(), "nowhere.example.", Type.TXT).run()).isNull();
        Lookup typeNotFound = lookup(dns.resolver(), "host.example.", Type.TXT);
        typeNotFound.run();
        assertThat(typeNotFound.getResult()).isEqualTo(Lookup.TYPE_NOT_FOUND);
    }

    @Test
    void followsCnameChainsInsideTheZone() throws Exception {
        dns.cname("_mta-sts.alias.example", "_mta-sts.middle.example")
            .cname("_mta-sts.middle.example", "_mta-sts.target.example")
            .txt("_mta-sts.target.example", "v=STSv1; id=7");

        List<Record> answer = query(dns.resolver(), "_mta-sts.alias.example.", Type.TXT).getSection(Section.ANSWER);
        assertThat(answer).extracting(Record::getType).containsExactly(Type.CNAME, Type.CNAME, Type.TXT);
        assertThat(((CNAMERecord) answer.get(0)).getTarget()).isEqualTo(Name.fromString("_mta-sts.middle.example."));
        Lookup lookup = lookup(dns.resolver(), "_mta-sts.alias.example.", Type.TXT);
        assertThat(((TXTRecord) lookup.run()[0]).getStrings()).containsExactly("v=STSv1; id=7");
        assertThat(query(dns.resolver(), "_mta-sts.alias.example.", Type.CNAME).getSection(Section.ANSWER))
            .extracting(Record::getType).containsExactly(Type.CNAME);
    }

    @Test
    void aCnameToAMissingNameAnswersNxdomainWithTheChain() throws Exception {
        dns.cname("dangling.example", "gone.example");

        Message response = query(dns.resolver(), "dangling.example.", Type.TXT);
        assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(response.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.CNAME);
    }

    @Test
    void forcesAnRcodeForOneNameAndTypeUntilRemoved() throws Exception {
        dns.txt("flaky.example", "v=STSv1; id=1").a("flaky.example", "127.0.0.7")
            .rcode("flaky.example", Type.TXT, Rcode.SERVFAIL)
            .rcode("refused.example", Type.MX, Rcode.REFUSED);

        assertThat(query(dns.resolver(), "flaky.example.", Type.TXT).getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(query(dns.resolver(), "flaky.example.", Type.A).getSection(Section.ANSWER)).hasSize(1);
        assertThat(query(dns.resolver(), "refused.example.", Type.MX).getRcode()).isEqualTo(Rcode.REFUSED);

        dns.remove("flaky.example", Type.TXT);
        assertThat(query(dns.resolver(), "flaky.example.", Type.TXT).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(query(dns.resolver(), "flaky.example.", Type.TXT).getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void removesRecordsOfOneTypeAndClearsAll() throws Exception {
        dns.a("host.example", "127.0.0.5").aaaa("host.example", "::1");

        dns.remove("host.example", Type.A);
        assertThat(query(dns.resolver(), "host.example.", Type.A).getSection(Section.ANSWER)).isEmpty();
        assertThat(query(dns.resolver(), "host.example.", Type.AAAA).getSection(Section.ANSWER)).hasSize(1);

        dns.clear();
        assertThat(query(dns.resolver(), "host.example.", Type.AAAA).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void servesAddressAndMxRecords() throws Exception {
        dns.a("mx1.mail.example", "127.1.2.3").aaaa("mx1.mail.example", "::1")
            .mx("mail.example", 20, "mx2.mail.example").mx("mail.example", 10, "mx1.mail.example.")
            .mx("nullmx.example", 0, ".");

        assertThat(lookup(dns.resolver(), "mx1.mail.example.", Type.A).run()[0].rdataToString()).isEqualTo("127.1.2.3");
        assertThat(((AAAARecord) lookup(dns.resolver(), "mx1.mail.example.", Type.AAAA).run()[0]).getAddress())
            .isEqualTo(InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
        assertThat(lookup(dns.resolver(), "mail.example.", Type.MX).run())
            .extracting(record -> ((MXRecord) record).getPriority() + " " + ((MXRecord) record).getTarget())
            .containsExactlyInAnyOrder("10 mx1.mail.example.", "20 mx2.mail.example.");
        assertThat(((MXRecord) lookup(dns.resolver(), "nullmx.example.", Type.MX).run()[0]).getTarget()).isEqualTo(Name.root);
    }

    @Test
    void namesAreCaseInsensitiveWithOrWithoutTheTrailingDot() throws Exception {
        dns.a("MiXed.Example.", "127.0.0.8");

        assertThat(query(dns.resolver(), "mixed.EXAMPLE.", Type.A).getSection(Section.ANSWER)).hasSize(1);
        assertThat(dns.queries("MIXED.example", Type.A)).isEqualTo(1);
        assertThat(dns.queries("mixed.example.", Type.A)).isEqualTo(1);
    }

    @Test
    void recordsCarryTheTtlSetWhenAdded() throws Exception {
        dns.a("default.example", "127.0.0.1");
        dns.ttl(Duration.ofSeconds(60)).a("short.example", "127.0.0.1");

        assertThat(query(dns.resolver(), "default.example.", Type.A).getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(300);
        assertThat(query(dns.resolver(), "short.example.", Type.A).getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(60);
    }

    @Test
    void truncatesLargeUdpAnswersSoClientsRetryOverTcp() throws Exception {
        for (int i = 0; i < 10; i++) {
            dns.txt("big.example", String.valueOf(i).repeat(200));
        }
        SimpleResolver classicUdp = dns.resolver();
        classicUdp.setEDNS(-1, 0, 0, List.of());
        classicUdp.setIgnoreTruncation(true);
        SimpleResolver largeEdns = dns.resolver();
        largeEdns.setEDNS(0, 4096, 0, List.of());
        largeEdns.setIgnoreTruncation(true);

        Message truncated = query(classicUdp, "big.example.", Type.TXT);
        assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(truncated.numBytes()).isLessThanOrEqualTo(512);
        Message wholeOverUdp = query(largeEdns, "big.example.", Type.TXT);
        assertThat(wholeOverUdp.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(wholeOverUdp.getSection(Section.ANSWER)).hasSize(10);

        int before = dns.queries("big.example", Type.TXT);
        SimpleResolver retrying = dns.resolver();
        retrying.setEDNS(-1, 0, 0, List.of());
        assertThat(lookup(retrying, "big.example.", Type.TXT).run()).hasSize(10);
        assertThat(dns.queries("big.example", Type.TXT) - before).as("one UDP query, then one over TCP").isEqualTo(2);
    }

    @Test
    void closingFreesTheAddress() {
        InetAddress address = dns.address();
        dns.close();

        try (TestDnsServer again = TestDnsServer.start(address)) {
            assertThat(again.address()).isEqualTo(address);
        }
    }

    private static Message query(SimpleResolver resolver, String name, int type) throws IOException {
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }

    /** A dnsjava lookup that asks only the given resolver: no cache shared between tests, no hosts file. */
    private static Lookup lookup(SimpleResolver resolver, String name, int type) {
        try {
            Lookup lookup = new Lookup(Name.fromString(name), type);
            lookup.setResolver(resolver);
            lookup.setCache(null);
            lookup.setHostsFileParser(null);
            return lookup;
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

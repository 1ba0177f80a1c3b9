package io.github.jamesmtasts.testkit;

import io.github.jamesmtasts.testkit.DnssecWorld.Signing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DnssecWorldTest {
    private static final String TLSA_DATA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static DnssecWorld world;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(DnssecWorld.isInstalled(), "nsd, unbound and ldnsutils are not installed");
        world = DnssecWorld.builder("test")
            .zone("dane.test", Signing.SIGNED,
                "dane.test. 300 IN MX 10 mx.dane.test.",
                "mx.dane.test. 300 IN A 127.0.0.5",
                "_25._tcp.mx.dane.test. 300 IN TLSA 3 1 1 " + TLSA_DATA)
            .zone("plain.test", Signing.UNSIGNED, "mx IN A 127.0.0.6")
            .zone("broken.test", Signing.BOGUS, "mx IN A 127.0.0.7")
            .zone("moving.test", Signing.SIGNED, "old IN A 127.0.0.8")
            .start();
    }

    @AfterAll
    static void stop() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void signedZoneAnswersValidate() throws Exception {
        Message mx = ask("dane.test.", Type.MX, Flags.AD);
        assertSecure(mx);
        MXRecord exchange = (MXRecord) only(mx, Type.MX);
        assertThat(exchange.getPriority()).isEqualTo(10);
        assertThat(exchange.getTarget()).isEqualTo(Name.fromString("mx.dane.test."));

        Message a = ask("mx.dane.test.", Type.A, Flags.AD);
        assertSecure(a);
        assertThat(((ARecord) only(a, Type.A)).getAddress().getHostAddress()).isEqualTo("127.0.0.5");

        Message tlsa = ask("_25._tcp.mx.dane.test.", Type.TLSA, Flags.AD);
        assertSecure(tlsa);
        TLSARecord association = (TLSARecord) only(tlsa, Type.TLSA);
        assertThat(association.getCertificateUsage()).isEqualTo(3);
        assertThat(association.getSelector()).isEqualTo(1);
        assertThat(association.getMatchingType()).isEqualTo(1);
        assertThat(association.getCertificateAssociationData()).isEqualTo(HexFormat.of().parseHex(TLSA_DATA));
    }

    @Test
    void unsignedZoneAnswersWithoutAd() throws Exception {
        Message a = ask("mx.plain.test.", Type.A, Flags.AD);
        assertThat(a.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(a.getHeader().getFlag(Flags.AD)).isFalse();
        assertThat(((ARecord) only(a, Type.A)).getAddress().getHostAddress()).isEqualTo("127.0.0.6");
    }

    @Test
    void bogusZoneFailsValidationButServesDataWithCheckingDisabled() throws Exception {
        assertThat(ask("mx.broken.test.", Type.A, Flags.AD).getRcode()).isEqualTo(Rcode.SERVFAIL);

        Message unchecked = ask("mx.broken.test.", Type.A, Flags.CD);
        assertThat(unchecked.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(unchecked.getHeader().getFlag(Flags.AD)).isFalse();
        assertThat(((ARecord) only(unchecked, Type.A)).getAddress().getHostAddress()).isEqualTo("127.0.0.7");
    }

    @Test
    void missingNameInSignedZoneIsAValidatedNxdomain() throws Exception {
        Message missing = ask("nowhere.dane.test.", Type.A, Flags.AD);
        assertThat(missing.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(missing.getHeader().getFlag(Flags.AD)).isTrue();
    }

    @Test
    void updateResignsAndIsSeenAtOnce() throws Exception {
        assertSecure(ask("old.moving.test.", Type.A, Flags.AD));
        assertThat(ask("new.moving.test.", Type.A, Flags.AD).getRcode()).isEqualTo(Rcode.NXDOMAIN);

        world.update("moving.test", "new IN A 127.0.0.9");

        Message added = ask("new.moving.test.", Type.A, Flags.AD);
        assertSecure(added);
        assertThat(((ARecord) only(added, Type.A)).getAddress().getHostAddress()).isEqualTo("127.0.0.9");
        Message removed = ask("old.moving.test.", Type.A, Flags.AD);
        assertThat(removed.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(removed.getHeader().getFlag(Flags.AD)).isTrue();
    }

    @Test
    void onlyTheLoopbackAuthoritativeServerIsEverAsked() throws Exception {
        assertThat(ask("example.com.", Type.A, Flags.AD).getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertSecure(ask("mx.dane.test.", Type.A, Flags.AD));

        List<InetAddress> asked = world.serversAsked();
        assertThat(asked).containsExactly(world.authoritative().getAddress());
        assertThat(world.resolver().getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void refusesZonesOutsideTheParentOrOverlappingAnother() {
        DnssecWorld.Builder builder = DnssecWorld.builder("test").zone("a.test", Signing.SIGNED);
        assertThatThrownBy(() -> builder.zone("example.com", Signing.SIGNED)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.zone("test", Signing.SIGNED)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.zone("b.a.test", Signing.SIGNED)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.zone("ns.test", Signing.SIGNED)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> world.update("nowhere.test")).isInstanceOf(IllegalArgumentException.class);
    }

    private static Message ask(String name, int type, int flag) throws IOException {
        SimpleResolver resolver = new SimpleResolver(world.resolver());
        resolver.setTimeout(Duration.ofSeconds(5));
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        query.getHeader().setFlag(flag);
        return resolver.send(query);
    }

    private static void assertSecure(Message answer) {
        assertThat(answer.getRcode()).as(answer.toString()).isEqualTo(Rcode.NOERROR);
        assertThat(answer.getHeader().getFlag(Flags.AD)).as(answer.toString()).isTrue();
    }

    private static Record only(Message answer, int type) {
        List<Record> records = answer.getSection(Section.ANSWER);
        assertThat(records).as(answer.toString()).hasSize(1);
        assertThat(records.get(0).getType()).isEqualTo(type);
        return records.get(0);
    }
}

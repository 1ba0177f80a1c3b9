package io.github.jamesmtasts.dns;

import io.github.jamesmtasts.testkit.LoopbackAddresses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.Type;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A resolver whose AD-flagged answers carry records nobody asked for (the answer smuggling of CVE-2024-25638): extra
 * records in the authority and additional sections, and answer-section records for other names. The DNSSEC client
 * reads only the answer-section records of the name it asked (or the CNAME chain from it), so none of them gets into a
 * DANE decision: each MX host's addresses and TLSA records come from look-ups of their own.
 */
class ForgedSectionsTest {
    private static final byte[] FORGED = {6, 6, 6, 6};

    private DatagramSocket socket;
    private Thread responder;

    @BeforeEach
    void start() throws Exception {
        socket = new DatagramSocket(new InetSocketAddress(LoopbackAddresses.next(), 0));
        responder = new Thread(this::answer, "forging-resolver");
        responder.setDaemon(true);
        responder.start();
    }

    @AfterEach
    void stop() {
        socket.close();
    }

    @Test
    void recordsBesideTheAnswerToTheQuestionAreNeverUsed() throws Exception {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(socket.getLocalAddress(), socket.getLocalPort()));
        DnssecClient dns = new DnssecClient(resolver, ResolverTrust.of(resolver, Set.of()));

        DnsAnswer<MxHost> mx = dns.mx("forged.test").get(10, TimeUnit.SECONDS);
        assertThat(mx.secure()).isTrue();
        assertThat(mx.records()).extracting(MxHost::hostname).containsExactly("mx.forged.test");

        DnsAnswer<InetAddress> addresses = dns.addresses("mx.forged.test").get(10, TimeUnit.SECONDS);
        assertThat(addresses.records()).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.25");

        DnsAnswer<TLSARecord> tlsa = dns.tlsa("_25._tcp.mx.forged.test").get(10, TimeUnit.SECONDS);
        assertThat(tlsa.found()).as("only a TLSA record of another name was in the answer").isFalse();
    }

    /** Answers every question with AD set, the true record for its name, and forged records in every section. */
    private void answer() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                Message response = new Message(query.getHeader().getID());
                response.getHeader().setFlag(Flags.QR);
                response.getHeader().setFlag(Flags.RA);
                response.getHeader().setFlag(Flags.AD);
                Record question = query.getQuestion();
                response.addRecord(question, Section.QUESTION);
                Name name = question.getName();
                Name victim = Name.fromString("victim.forged.test.");
                if (question.getType() == Type.MX) {
                    response.addRecord(new MXRecord(name, DClass.IN, 300, 10, Name.fromString("mx.forged.test.")), Section.ANSWER);
                } else if (question.getType() == Type.A && name.toString().equals("mx.forged.test.")) {
                    response.addRecord(new ARecord(name, DClass.IN, 300, InetAddress.getByName("127.0.0.25")), Section.ANSWER);
                }
                response.addRecord(new ARecord(victim, DClass.IN, 300, InetAddress.getByAddress(FORGED)), Section.ANSWER);
                response.addRecord(new TLSARecord(Name.fromString("_25._tcp.victim.forged.test."), DClass.IN, 300, 3, 1, 1, new byte[32]),
                    Section.ANSWER);
                response.addRecord(new ARecord(Name.fromString("mx.forged.test."), DClass.IN, 300, InetAddress.getByAddress(FORGED)),
                    Section.ADDITIONAL);
                response.addRecord(new TLSARecord(Name.fromString("_25._tcp.mx.forged.test."), DClass.IN, 300, 3, 1, 1, new byte[32]),
                    Section.AUTHORITY);
                byte[] wire = response.toWire();
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (SocketException closed) {
                return;
            } catch (java.io.IOException e) {
                // a malformed query: no answer, as a resolver would do
            }
        }
    }
}

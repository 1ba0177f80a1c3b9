package io.github.jamesmtasts.testkit;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small authoritative DNS server on a loopback address, answering over UDP and TCP from records
 * that a test adds and removes while it runs. Messages are read and written with dnsjava.
 *
 * <ul>
 *   <li>Unknown names answer NXDOMAIN. Names that own records, and the names above them
 *       (empty non-terminals, RFC 8020), answer NOERROR with an empty answer (NODATA) when they
 *       have no record of the asked type.</li>
 *   <li>CNAMEs are followed inside the zone: the answer holds the chain and the target's records.</li>
 *   <li>{@link #rcode} forces an RCODE (SERVFAIL, REFUSED, ...) for one name and type.</li>
 *   <li>Over UDP, an answer larger than 512 bytes, or than the EDNS size the query offers, is
 *       truncated with the TC bit (RFC 1035 §4.2.1, RFC 6891 §6.2.5), so clients retry over TCP.</li>
 * </ul>
 * Names are case-insensitive and may be given with or without the trailing dot. All methods are
 * thread-safe; records added while the server runs are seen by the next query.
 */
public final class TestDnsServer implements AutoCloseable {
    private static final int CLASSIC_UDP_LIMIT = 512;
    private static final int CHARACTER_STRING_LIMIT = 255;
    private static final int MAX_CNAME_HOPS = 8;

    private final DatagramSocket udp;
    private final ServerThreads threads = new ServerThreads("test-dns");
    private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();
    private final Map<Question, Integer> forcedRcodes = new ConcurrentHashMap<>();
    private final Map<Question, AtomicInteger> queryCounts = new ConcurrentHashMap<>();
    private volatile long ttlSeconds = 300;
    private volatile long negativeTtlSeconds;

    private TestDnsServer(InetAddress bind, int port) throws IOException {
        this.udp = new DatagramSocket(new InetSocketAddress(bind, port));
        ServerSocket tcp = new ServerSocket();
        try {
            tcp.setReuseAddress(true);
            tcp.bind(new InetSocketAddress(bind, udp.getLocalPort()));
        } catch (IOException e) {
            udp.close();
            tcp.close();
            throw e;
        }
        threads.run(udp, this::serveUdp);
        threads.acceptLoop(tcp, this::serveTcp);
    }

    /** Starts a server on port 53 of a loopback address. */
    public static TestDnsServer start(InetAddress bind) {
        return start(bind, 53);
    }

    /** Starts a server on a loopback address and port (0 for any free port; TCP takes the same port as UDP). */
    public static TestDnsServer start(InetAddress bind, int port) {
        LoopbackAddresses.requireLoopback(bind);
        try {
            return new TestDnsServer(bind, port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind a DNS server on " + bind + ":" + port, e);
        }
    }

    public InetAddress address() {
        return udp.getLocalAddress();
    }

    public int port() {
        return udp.getLocalPort();
    }

    /** A new dnsjava resolver that asks this server (UDP, retrying over TCP on truncation) with a 2 s time-out. */
    public SimpleResolver resolver() {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(address(), port()));
        resolver.setTimeout(Duration.ofSeconds(2));
        return resolver;
    }

    /** The TTL of records added from now on (300 s unless set). */
    public TestDnsServer ttl(Duration ttl) {
        this.ttlSeconds = ttl.getSeconds();
        return this;
    }

    /**
     * Makes negative answers (NXDOMAIN and NODATA) cacheable for {@code ttl}, as a real zone's are: they then
     * carry the zone's SOA in the authority section (RFC 2308 §3, §5). Unless set, they carry none, so resolvers
     * ask again each time (RFC 2308 §5: no SOA, no negative caching), which tests that change records rely on.
     */
    public TestDnsServer negativeTtl(Duration ttl) {
        this.negativeTtlSeconds = ttl.getSeconds();
        return this;
    }

    /**
     * Adds ONE TXT record made of the given character-strings, stored as their UTF-8 bytes.
     * Call it twice for two records.
     *
     * @throws IllegalArgumentException if a character-string is longer than 255 octets (RFC 1035 §3.3)
     */
    public TestDnsServer txt(String name, String... characterStrings) {
        List<String> presentation = new ArrayList<>();
        for (String characterString : characterStrings) {
            presentation.add(presentation(characterString));
        }
        return add(new TXTRecord(name(name), DClass.IN, ttlSeconds, presentation));
    }

    /** Adds an A record. */
    public TestDnsServer a(String name, String ipv4) {
        return add(new ARecord(name(name), DClass.IN, ttlSeconds, literal(ipv4, Address.IPv4)));
    }

    /** Adds an AAAA record. */
    public TestDnsServer aaaa(String name, String ipv6) {
        return add(new AAAARecord(name(name), DClass.IN, ttlSeconds, literal(ipv6, Address.IPv6)));
    }

    /** Adds an MX record; a host of "." makes a null MX (RFC 7505). */
    public TestDnsServer mx(String name, int preference, String host) {
        return add(new MXRecord(name(name), DClass.IN, ttlSeconds, preference, name(host)));
    }

    /** Adds a CNAME record: queries for {@code name} are answered with the chain to {@code target}. */
    public TestDnsServer cname(String name, String target) {
        return add(new CNAMERecord(name(name), DClass.IN, ttlSeconds, name(target)));
    }

    /** Answers every query for this name and type with the given RCODE (e.g. {@link Rcode#SERVFAIL}). */
    public TestDnsServer rcode(String name, int type, int rcode) {
        forcedRcodes.put(new Question(name(name), type), rcode);
        return this;
    }

    /** Stops forcing an RCODE for this name and type: its records answer again. */
    public TestDnsServer unforce(String name, int type) {
        forcedRcodes.remove(new Question(name(name), type));
        return this;
    }

    /** Removes the records of one type at a name (and any RCODE forced for them). */
    public TestDnsServer remove(String name, int type) {
        Name owner = name(name);
        forcedRcodes.remove(new Question(owner, type));
        records.computeIfPresent(owner, (n, list) -> {
            List<Record> kept = new ArrayList<>(list);
            kept.removeIf(record -> record.getType() == type);
            return kept.isEmpty() ? null : List.copyOf(kept);
        });
        return this;
    }

    /** Removes every record and forced RCODE (query counts are kept). */
    public TestDnsServer clear() {
        records.clear();
        forcedRcodes.clear();
        return this;
    }

    /** How many queries for this name and type reached the server, over UDP and TCP together. */
    public int queries(String name, int type) {
        AtomicInteger count = queryCounts.get(new Question(name(name), type));
        return count == null ? 0 : count.get();
    }

    /** How many queries reached the server so far for each question, keyed {@code "name TYPE"} (e.g. {@code "mx.a.test. AAAA"}). */
    public Map<String, Integer> queryCounts() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        queryCounts.forEach((question, count) -> counts.put(question.name() + " " + org.xbill.DNS.Type.string(question.type()),
            count.get()));
        return counts;
    }

    /** How many queries reached the server in all, over UDP and TCP together. */
    public int queries() {
        return queryCounts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    @Override
    public void close() {
        threads.close();
    }

    private TestDnsServer add(Record record) {
        records.merge(record.getName(), List.of(record), (old, added) -> {
            List<Record> all = new ArrayList<>(old);
            all.addAll(added);
            return List.copyOf(all);
        });
        return this;
    }

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!udp.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
            } catch (IOException closed) {
                return;
            }
            try {
                Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                OPTRecord opt = query.getOPT();
                int limit = opt == null ? CLASSIC_UDP_LIMIT : Math.max(CLASSIC_UDP_LIMIT, opt.getPayloadSize());
                byte[] answer = answer(query).toWire(limit);
                udp.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
            } catch (IOException malformedOrUnsent) {
                // a query dnsjava cannot read gets no answer, as from a real server
            }
        }
    }

    private void serveTcp(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        while (true) {
            // RFC 1035 §4.2.2: each TCP message is preceded by its two-byte length
            byte[] query = new byte[in.readUnsignedShort()];
            in.readFully(query);
            byte[] answer = answer(new Message(query)).toWire();
            out.writeShort(answer.length);
            out.write(answer);
            out.flush();
        }
    }

    private Message answer(Message query) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        Record question = query.getQuestion();
        if (question == null) {
            response.getHeader().setRcode(Rcode.FORMERR);
            return response;
        }
        response.addRecord(question, Section.QUESTION);
        if (query.getOPT() != null) {
            response.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        }
        int type = question.getType();
        queryCounts.computeIfAbsent(new Question(question.getName(), type), k -> new AtomicInteger()).incrementAndGet();
        int rcode = resolve(question.getName(), type, response);
        response.getHeader().setRcode(rcode);
        boolean negative = rcode == Rcode.NXDOMAIN
            || rcode == Rcode.NOERROR && response.getSection(Section.ANSWER).stream().noneMatch(record -> record.getType() == type);
        if (negative && negativeTtlSeconds > 0) {
            response.addRecord(soa(question.getName()), Section.AUTHORITY);
        }
        return response;
    }

    /** The SOA of the zone a name is in, taken to be its last two labels, its minimum the negative TTL. */
    private SOARecord soa(Name name) {
        Name zone = name.labels() > 3 ? new Name(name, name.labels() - 3) : name;
        try {
            return new SOARecord(zone, DClass.IN, negativeTtlSeconds, Name.concatenate(Name.fromConstantString("ns"), zone),
                Name.concatenate(Name.fromConstantString("hostmaster"), zone), 1, 3600, 600, 86400, negativeTtlSeconds);
        } catch (NameTooLongException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds the answer records for {@code owner}, following CNAMEs, and returns the RCODE. */
    private int resolve(Name owner, int type, Message response) {
        Name current = owner;
        for (int hop = 0; hop < MAX_CNAME_HOPS; hop++) {
            Integer forced = forcedRcodes.get(new Question(current, type));
            if (forced != null) {
                return forced;
            }
            List<Record> atName = records.getOrDefault(current, List.of());
            if (atName.isEmpty()) {
                return exists(current) ? Rcode.NOERROR : Rcode.NXDOMAIN;
            }
            boolean found = false;
            CNAMERecord cname = null;
            for (Record record : atName) {
                if (record.getType() == type) {
                    response.addRecord(record, Section.ANSWER);
                    found = true;
                } else if (record instanceof CNAMERecord) {
                    cname = (CNAMERecord) record;
                }
            }
            if (found || cname == null) {
                return Rcode.NOERROR;
            }
            response.addRecord(cname, Section.ANSWER);
            current = cname.getTarget();
        }
        return Rcode.SERVFAIL;
    }

    /** A name exists if it owns records or is an ancestor of a name that does (RFC 8020). */
    private boolean exists(Name name) {
        return records.keySet().stream().anyMatch(owner -> owner.subdomain(name));
    }

    /** dnsjava reads TXT strings in presentation format: escape every byte that is not plain printable ASCII. */
    private static String presentation(String characterString) {
        byte[] octets = characterString.getBytes(StandardCharsets.UTF_8);
        if (octets.length > CHARACTER_STRING_LIMIT) {
            throw new IllegalArgumentException("a character-string holds at most 255 octets, not " + octets.length);
        }
        StringBuilder escaped = new StringBuilder();
        for (byte octet : octets) {
            int value = octet & 0xFF;
            if (value < 0x20 || value > 0x7E || value == '\\' || value == '"') {
                escaped.append(String.format("\\%03d", value));
            } else {
                escaped.append((char) value);
            }
        }
        return escaped.toString();
    }

    private static Name name(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: " + name, e);
        }
    }

    private static InetAddress literal(String ip, int family) {
        byte[] octets = Address.toByteArray(ip, family);
        if (octets == null) {
            throw new IllegalArgumentException("not an " + (family == Address.IPv4 ? "IPv4" : "IPv6") + " literal: " + ip);
        }
        try {
            return InetAddress.getByAddress(octets);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A name and type; dnsjava names compare case-insensitively. */
    private record Question(Name name, int type) {
    }
}

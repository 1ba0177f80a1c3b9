package io.github.jamesmtasts.testkit;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small authoritative DNS server on a loopback address, answering over UDP and TCP from records
 * that a test adds and removes while it runs. Messages are read and written with dnsjava.
 * Unknown names answer NXDOMAIN; known names without the asked type answer NODATA; CNAMEs inside
 * the zone are followed. UDP answers larger than the client's limit are truncated (TC), so clients
 * retry over TCP.
 */
public final class TestDnsServer implements AutoCloseable {
    private static final int MAX_UDP_DEFAULT = 512;

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "test-dns");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();
    private final Map<String, Integer> forcedRcodes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> queryCounts = new ConcurrentHashMap<>();
    private volatile long ttlSeconds = 300;
    private volatile boolean open = true;

    private TestDnsServer(InetAddress bind, int port) throws IOException {
        this.udp = new DatagramSocket(new InetSocketAddress(bind, port));
        this.tcp = new ServerSocket();
        this.tcp.setReuseAddress(true);
        this.tcp.bind(new InetSocketAddress(bind, udp.getLocalPort()));
        threads.execute(this::serveUdp);
        threads.execute(this::serveTcp);
    }

    /** Starts a server on port 53 of a loopback address. */
    public static TestDnsServer start(InetAddress bind) {
        return start(bind, 53);
    }

    /** Starts a server on a loopback address and port (0 for any free port). */
    public static TestDnsServer start(InetAddress bind, int port) {
        if (!bind.isLoopbackAddress()) {
            throw new IllegalArgumentException("test DNS servers bind loopback addresses only: " + bind);
        }
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

    /** A dnsjava resolver that asks this server, with a short time-out. */
    public SimpleResolver resolver() {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(address(), port()));
        resolver.setTimeout(Duration.ofSeconds(2));
        return resolver;
    }

    /** The TTL of records added from now on. */
    public TestDnsServer ttl(Duration ttl) {
        this.ttlSeconds = ttl.getSeconds();
        return this;
    }

    /** Adds one TXT record made of the given character-strings (each at most 255 octets). */
    public TestDnsServer txt(String name, String... characterStrings) {
        for (String part : characterStrings) {
            if (part.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
                throw new IllegalArgumentException("a character-string holds at most 255 octets");
            }
        }
        return add(new TXTRecord(name(name), DClass.IN, ttlSeconds, List.of(characterStrings)));
    }

    public TestDnsServer a(String name, String ipv4) {
        return add(new ARecord(name(name), DClass.IN, ttlSeconds, literal(ipv4)));
    }

    public TestDnsServer aaaa(String name, String ipv6) {
        return add(new AAAARecord(name(name), DClass.IN, ttlSeconds, literal(ipv6)));
    }

    /** Adds an MX record; a host of "." makes a null MX (RFC 7505). */
    public TestDnsServer mx(String name, int preference, String host) {
        return add(new MXRecord(name(name), DClass.IN, ttlSeconds, preference, ".".equals(host) ? Name.root : name(host)));
    }

    public TestDnsServer cname(String name, String target) {
        return add(new CNAMERecord(name(name), DClass.IN, ttlSeconds, name(target)));
    }

    /** Answers every query for this name and type with the given RCODE (e.g. {@link Rcode#SERVFAIL}). */
    public TestDnsServer rcode(String name, int type, int rcode) {
        forcedRcodes.put(key(name(name), type), rcode);
        return this;
    }

    /** Removes the records of one type at a name (and any forced RCODE for it). */
    public TestDnsServer remove(String name, int type) {
        Name owner = name(name);
        forcedRcodes.remove(key(owner, type));
        records.computeIfPresent(owner, (n, list) -> {
            List<Record> kept = new ArrayList<>(list);
            kept.removeIf(record -> record.getType() == type);
            return kept.isEmpty() ? null : List.copyOf(kept);
        });
        return this;
    }

    /** Removes every record and forced RCODE. */
    public TestDnsServer clear() {
        records.clear();
        forcedRcodes.clear();
        return this;
    }

    /** How many queries for this name and type reached the server. */
    public int queries(String name, int type) {
        AtomicInteger count = queryCounts.get(key(name(name), type));
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        open = false;
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        threads.shutdownNow();
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
        while (open) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                OPTRecord opt = query.getOPT();
                int limit = opt == null ? MAX_UDP_DEFAULT : Math.max(MAX_UDP_DEFAULT, opt.getPayloadSize());
                byte[] answer = answer(query).toWire(limit);
                udp.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
            } catch (SocketException closed) {
                return;
            } catch (IOException malformed) {
                // a query dnsjava cannot read gets no answer, as from a real server
            }
        }
    }

    private void serveTcp() {
        while (open) {
            try {
                Socket socket = tcp.accept();
                threads.execute(() -> serveTcpConnection(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serveTcpConnection(Socket socket) {
        try (socket;
             DataInputStream in = new DataInputStream(socket.getInputStream());
             DataOutputStream out = new DataOutputStream(socket.getOutputStream())) {
            while (open) {
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                byte[] answer = answer(new Message(query)).toWire();
                out.writeShort(answer.length);
                out.write(answer);
                out.flush();
            }
        } catch (IOException endOfConnection) {
            // the client closed the connection or sent garbage
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
        queryCounts.computeIfAbsent(key(question.getName(), question.getType()), k -> new AtomicInteger()).incrementAndGet();
        Name owner = question.getName();
        for (int hops = 0; hops < 8; hops++) {
            Integer forced = forcedRcodes.get(key(owner, question.getType()));
            if (forced != null) {
                response.getHeader().setRcode(forced);
                return response;
            }
            List<Record> atName = records.get(owner);
            if (atName == null) {
                response.getHeader().setRcode(Rcode.NXDOMAIN);
                return response;
            }
            List<Record> matching = new ArrayList<>();
            Record cname = null;
            for (Record record : atName) {
                if (record.getType() == question.getType()) {
                    matching.add(record);
                } else if (record.getType() == Type.CNAME) {
                    cname = record;
                }
            }
            if (!matching.isEmpty() || cname == null || question.getType() == Type.CNAME) {
                matching.forEach(record -> response.addRecord(record, Section.ANSWER));
                return response;
            }
            response.addRecord(cname, Section.ANSWER);
            owner = ((CNAMERecord) cname).getTarget();
        }
        response.getHeader().setRcode(Rcode.SERVFAIL);
        return response;
    }

    private static String key(Name name, int type) {
        return name.toString().toLowerCase(java.util.Locale.ROOT) + "/" + type;
    }

    private static Name name(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: " + name, e);
        }
    }

    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByAddress(org.xbill.DNS.Address.toByteArray(ip,
                ip.contains(":") ? org.xbill.DNS.Address.IPv6 : org.xbill.DNS.Address.IPv4));
        } catch (IOException | NullPointerException e) {
            throw new IllegalArgumentException("not an IP literal: " + ip, e);
        }
    }
}

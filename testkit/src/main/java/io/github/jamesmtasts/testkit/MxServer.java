package io.github.jamesmtasts.testkit;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A real SMTP server (RFC 5321) on a loopback address, port 25 unless told otherwise: the MX host
 * of delivery tests. It offers STARTTLS (RFC 3207) with a {@link TestCa} certificate, records every
 * message it accepts ({@link #received()}), and plays scripted faults: a reply code for a step or a
 * recipient, a stall (no answer, ever) or a hang-up at a step, and the lies of a hostile MX or path:
 * octets injected after a reply (after the 220 to STARTTLS, or a reply to a command not yet sent), a
 * reply that never ends, replies written one octet at a time, a delay before every reply (a network's
 * round trip). {@link #options(Options)} changes
 * certificate, keywords and faults while it runs, so a test can "fix the MX" between two attempts;
 * each command is answered under the options current when it arrives.
 *
 * <p>Blocking IO, one thread per connection. Commands are read as CRLF-ended lines; the session
 * order is enforced loosely (503 for RCPT before MAIL, DATA before RCPT, ...). All methods are
 * thread-safe.
 */
public final class MxServer implements AutoCloseable {
    private final ServerSocket listener;
    private final ServerThreads threads = new ServerThreads("test-mx");
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger failedHandshakes = new AtomicInteger();
    private final List<Received> received = new ArrayList<>();
    private volatile Config config;

    private MxServer(InetAddress bind, int port, Options options) throws IOException {
        this.config = new Config(options);
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(bind, port));
        threads.acceptLoop(listener, socket -> new MxSession(this, connections.incrementAndGet(), socket).run());
    }

    /** Starts an MX on port 25 of a loopback address. */
    public static MxServer start(InetAddress bind, Options options) {
        return start(bind, 25, options);
    }

    /** Starts an MX on a loopback address and port (0 for any free port). */
    public static MxServer start(InetAddress bind, int port, Options options) {
        LoopbackAddresses.requireLoopback(bind);
        try {
            return new MxServer(bind, port, options);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind an SMTP server on " + bind + ":" + port, e);
        }
    }

    public InetAddress address() {
        return listener.getInetAddress();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** The options in force. */
    public Options options() {
        return config.options;
    }

    /** Replaces the options; commands arriving from now on (on open connections too) follow them. */
    public MxServer options(Options options) {
        this.config = new Config(options);
        return this;
    }

    /** How many connections were accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** How many TLS handshakes after STARTTLS failed (typically: the client rejected the certificate). */
    public int failedHandshakes() {
        return failedHandshakes.get();
    }

    /**
     * Waits until at least {@code count} handshakes failed and returns how many did: the server notices
     * an abort just after the client does.
     */
    public int awaitFailedHandshakes(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (failedHandshakes.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return failedHandshakes.get();
    }

    /** The messages accepted so far (a positive reply to the end of data), oldest first. */
    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /**
     * Waits until at least {@code count} messages were accepted and returns them all.
     *
     * @throws AssertionError if they did not arrive within {@code timeout}
     */
    public List<Received> awaitMessages(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            while (received.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " messages within " + timeout + ", got " + received);
                }
                received.wait(Math.max(1, left / 1_000_000));
            }
            return List.copyOf(received);
        }
    }

    @Override
    public void close() {
        threads.close();
    }

    Config config() {
        return config;
    }

    void accepted(Received message) {
        synchronized (received) {
            received.add(message);
            received.notifyAll();
        }
    }

    void handshakeFailed() {
        failedHandshakes.incrementAndGet();
    }

    /** The options with the TLS context made from their certificate, built once per change. */
    static final class Config {
        final Options options;
        final SSLContext tls;

        private Config(Options options) {
            this.options = options;
            this.tls = options.certificate == null ? null : options.certificate.serverContext();
        }

        /** RFC 3207 §4: STARTTLS is offered only by a server that has a certificate and is told to. */
        boolean offersStartTls() {
            return tls != null && options.advertiseStartTls;
        }
    }

    /** The points of an SMTP session where a fault can be scripted. */
    public enum Step {
        /** The 220 greeting on connect. */
        GREETING,
        EHLO,
        HELO,
        STARTTLS,
        /** The TLS handshake after the 220 to STARTTLS: a stall here never starts it. */
        TLS_HANDSHAKE,
        MAIL,
        RCPT,
        /** The 354 reply to the DATA command. */
        DATA,
        /** The reply after the message's final {@code CRLF.CRLF}, or after its {@code BDAT ... LAST} chunk. */
        DATA_END,
        RSET,
        QUIT
    }

    /** An SMTP reply: a code and text; a text with line breaks becomes a multi-line reply. */
    public static final class Reply {
        private final int code;
        private final String text;

        private Reply(int code, String text) {
            if (code < 200 || code > 599) {
                throw new IllegalArgumentException("not an SMTP reply code: " + code);
            }
            this.code = code;
            this.text = text;
        }

        static Reply of(int code, String text) {
            return new Reply(code, text);
        }

        public int code() {
            return code;
        }

        public String text() {
            return text;
        }

        /** 2yz and 3yz replies let the step go on (RFC 5321 §4.2.1). */
        boolean positive() {
            return code < 400;
        }

        @Override
        public String toString() {
            return code + " " + text;
        }
    }

    /**
     * What the server offers and which faults it plays. Immutable: each method returns a changed
     * copy (never altered once returned), e.g. {@code Options.withCertificate(cert).smtpUtf8(true).reply(Step.RCPT, 451, "4.3.0 try later")}.
     *
     * <p>Defaults: no certificate; STARTTLS advertised whenever there is one; greeting host
     * {@code mx.test}; PIPELINING, SIZE 10485760, 8BITMIME and ENHANCEDSTATUSCODES advertised;
     * SMTPUTF8, REQUIRETLS and CHUNKING not; no faults.
     */
    public static final class Options {
        private TestCa.Issued certificate;
        private boolean advertiseStartTls = true;
        private String greetingHost = "mx.test";
        private boolean pipelining = true;
        private long size = 10 * 1024 * 1024;
        private boolean eightBitMime = true;
        private boolean smtpUtf8;
        private boolean requireTls;
        private boolean chunking;
        private Map<Step, Reply> replies = Map.of();
        private Map<String, Reply> recipientReplies = Map.of();
        private Set<Step> stalls = Set.of();
        private Set<Step> hangUps = Set.of();
        private Map<Step, String> injections = Map.of();
        private Set<Step> endless = Set.of();
        private boolean dribble;
        private Duration replyDelay = Duration.ZERO;

        private Options() {
        }

        private Options(Options from) {
            this.certificate = from.certificate;
            this.advertiseStartTls = from.advertiseStartTls;
            this.greetingHost = from.greetingHost;
            this.pipelining = from.pipelining;
            this.size = from.size;
            this.eightBitMime = from.eightBitMime;
            this.smtpUtf8 = from.smtpUtf8;
            this.requireTls = from.requireTls;
            this.chunking = from.chunking;
            this.replies = from.replies;
            this.recipientReplies = from.recipientReplies;
            this.stalls = from.stalls;
            this.hangUps = from.hangUps;
            this.injections = from.injections;
            this.endless = from.endless;
            this.dribble = from.dribble;
            this.replyDelay = from.replyDelay;
        }

        /** The defaults, without a certificate: STARTTLS is not offered. */
        public static Options plain() {
            return new Options();
        }

        /** The defaults, offering STARTTLS with this certificate. */
        public static Options withCertificate(TestCa.Issued certificate) {
            return plain().certificate(certificate);
        }

        /** The certificate presented after STARTTLS, or {@code null} for none (then STARTTLS is never offered). */
        public Options certificate(TestCa.Issued issued) {
            return with(next -> next.certificate = issued);
        }

        /** Whether EHLO offers STARTTLS when there is a certificate; {@code false} makes STARTTLS "not supported" (502). */
        public Options advertiseStartTls(boolean offer) {
            return with(next -> next.advertiseStartTls = offer);
        }

        /** The host name in the greeting and the EHLO reply. */
        public Options greetingHost(String host) {
            return with(next -> next.greetingHost = host);
        }

        /** Whether EHLO offers PIPELINING (RFC 2920). */
        public Options pipelining(boolean offer) {
            return with(next -> next.pipelining = offer);
        }

        /** The SIZE offered in EHLO (RFC 1870) and enforced on {@code MAIL FROM ... SIZE=}; 0 offers no SIZE. */
        public Options size(long maxBytes) {
            return with(next -> next.size = maxBytes);
        }

        /** Whether EHLO offers 8BITMIME (RFC 6152), which allows {@code BODY=}. */
        public Options eightBitMime(boolean offer) {
            return with(next -> next.eightBitMime = offer);
        }

        /** Whether EHLO offers SMTPUTF8 (RFC 6531), which allows the {@code SMTPUTF8} parameter. */
        public Options smtpUtf8(boolean offer) {
            return with(next -> next.smtpUtf8 = offer);
        }

        /** Whether EHLO offers REQUIRETLS (RFC 8689); offered only inside TLS, as RFC 8689 §2 requires. */
        public Options requireTls(boolean offer) {
            return with(next -> next.requireTls = offer);
        }

        /**
         * Whether EHLO offers CHUNKING (RFC 3030), which allows {@code BDAT}. A {@code BDAT ... LAST} is answered as the
         * step {@link Step#DATA_END}; any other chunk with 250.
         */
        public Options chunking(boolean offer) {
            return with(next -> next.chunking = offer);
        }

        /**
         * Answers {@code step} with this reply instead of the normal one. A 2yz/3yz reply lets the
         * step go on (e.g. a 354 with another text); 4yz/5yz refuses it. For STARTTLS, anything
         * but 220 means no TLS.
         */
        public Options reply(Step step, int code, String text) {
            Map<Step, Reply> more = new EnumMap<>(Step.class);
            more.putAll(replies);
            more.put(step, Reply.of(code, text));
            return with(next -> next.replies = Map.copyOf(more));
        }

        /** Answers {@code RCPT TO:<address>} (address case-insensitive) with this reply, e.g. 550 "5.1.1 no such user". */
        public Options recipientReply(String address, int code, String text) {
            Map<String, Reply> more = new HashMap<>(recipientReplies);
            more.put(address.toLowerCase(Locale.ROOT), Reply.of(code, text));
            return with(next -> next.recipientReplies = Map.copyOf(more));
        }

        /** Never answers at {@code step}: the server reads on and says nothing until the client hangs up. */
        public Options stall(Step step) {
            return with(next -> next.stalls = plus(stalls, step));
        }

        /** Closes the connection at {@code step}, without a reply. */
        public Options hangUp(Step step) {
            return with(next -> next.hangUps = plus(hangUps, step));
        }

        /**
         * Writes {@code octets} right after the reply to {@code step}, in the same segment: after the 220 to
         * STARTTLS, plaintext that must never be read as SMTP (RFC 3207 §6); after another reply, a reply to a
         * command the client has not sent yet.
         */
        public Options inject(Step step, String octets) {
            Map<Step, String> more = new EnumMap<>(Step.class);
            more.putAll(injections);
            more.put(step, octets);
            return with(next -> next.injections = Map.copyOf(more));
        }

        /** The reply to {@code step} never ends: continuation lines ({@code 250-...}) until the client hangs up. */
        public Options endless(Step step) {
            return with(next -> next.endless = plus(endless, step));
        }

        /** Writes every reply one octet at a time, each in a segment of its own. */
        public Options dribble(boolean oneOctetAtATime) {
            return with(next -> next.dribble = oneOctetAtATime);
        }

        /** Waits this long before every reply, as a network's round trip would. */
        public Options replyDelay(Duration delay) {
            return with(next -> next.replyDelay = delay);
        }

        /** The same offer without any scripted reply, stall, hang-up, injection or endless reply: a healthy MX. */
        public Options withoutFaults() {
            return with(next -> {
                next.replies = Map.of();
                next.recipientReplies = Map.of();
                next.stalls = Set.of();
                next.hangUps = Set.of();
                next.injections = Map.of();
                next.endless = Set.of();
                next.dribble = false;
            });
        }

        String greetingHost() {
            return greetingHost;
        }

        boolean chunking() {
            return chunking;
        }

        Reply scripted(Step step) {
            return replies.get(step);
        }

        Reply recipientReply(String address) {
            return recipientReplies.get(address.toLowerCase(Locale.ROOT));
        }

        boolean stalls(Step step) {
            return stalls.contains(step);
        }

        boolean hangsUp(Step step) {
            return hangUps.contains(step);
        }

        String injection(Step step) {
            return injections.get(step);
        }

        boolean neverEnds(Step step) {
            return endless.contains(step);
        }

        boolean dribbles() {
            return dribble;
        }

        Duration replyDelay() {
            return replyDelay;
        }

        long size() {
            return size;
        }

        /** The EHLO keywords offered, in order (STARTTLS is added by the session when it applies). */
        List<String> keywords(boolean tls) {
            List<String> keywords = new ArrayList<>();
            if (pipelining) {
                keywords.add("PIPELINING");
            }
            if (size > 0) {
                keywords.add("SIZE " + size);
            }
            if (eightBitMime) {
                keywords.add("8BITMIME");
            }
            if (smtpUtf8) {
                keywords.add("SMTPUTF8");
            }
            if (requireTls && tls) {
                keywords.add("REQUIRETLS");
            }
            if (chunking) {
                keywords.add("CHUNKING");
            }
            keywords.add("ENHANCEDSTATUSCODES");
            return keywords;
        }

        /** Whether a MAIL FROM parameter belongs to an extension offered here (RFC 5321 §4.1.1.11: others get 555). */
        boolean accepts(String parameter, boolean tls) {
            switch (parameter) {
                case "SIZE":
                    return size > 0;
                case "BODY":
                    return eightBitMime;
                case "SMTPUTF8":
                    return smtpUtf8;
                case "REQUIRETLS":
                    return requireTls && tls;
                default:
                    return false;
            }
        }

        private Options with(Consumer<Options> change) {
            Options next = new Options(this);
            change.accept(next);
            return next;
        }

        private static Set<Step> plus(Set<Step> steps, Step step) {
            EnumSet<Step> more = EnumSet.of(step);
            more.addAll(steps);
            return Set.copyOf(more);
        }
    }

    /** One message the server accepted, with its envelope and how the connection looked. */
    public static final class Received {
        private final int connectionId;
        private final String clientName;
        private final String sender;
        private final Map<String, String> mailParameters;
        private final List<String> recipients;
        private final byte[] data;
        private final String tlsProtocol;
        private final String serverName;
        private final long arrivalNanos = System.nanoTime();
        private final long tlsSessionCreated;
        private final boolean chunked;

        Received(int connectionId, String clientName, String sender, Map<String, String> mailParameters,
                 List<String> recipients, byte[] data, String tlsProtocol, String serverName, long tlsSessionCreated,
                 boolean chunked) {
            this.tlsSessionCreated = tlsSessionCreated;
            this.chunked = chunked;
            this.connectionId = connectionId;
            this.clientName = clientName;
            this.sender = sender;
            this.mailParameters = Collections.unmodifiableMap(new LinkedHashMap<>(mailParameters));
            this.recipients = List.copyOf(recipients);
            this.data = data.clone();
            this.tlsProtocol = tlsProtocol;
            this.serverName = serverName;
        }

        /** Which connection (1, 2, ... in accept order) carried it: equal ids prove a connection was reused. */
        public int connectionId() {
            return connectionId;
        }

        /** The name the client gave in EHLO or HELO. */
        public String clientName() {
            return clientName;
        }

        /** The reverse-path of {@code MAIL FROM}, without brackets; empty for the null sender {@code <>}. */
        public String sender() {
            return sender;
        }

        /**
         * The {@code MAIL FROM} parameters, names upper-cased, e.g. {@code SIZE -> 1234},
         * {@code BODY -> 8BITMIME}; a parameter without value (REQUIRETLS, SMTPUTF8) maps to "".
         */
        public Map<String, String> mailParameters() {
            return mailParameters;
        }

        /** Whether {@code MAIL FROM} carried this parameter (name case-insensitive). */
        public boolean hasMailParameter(String name) {
            return mailParameters.containsKey(name.toUpperCase(Locale.ROOT));
        }

        /** The accepted recipients, without brackets, in order. */
        public List<String> recipients() {
            return recipients;
        }

        /** Whether the message came in {@code BDAT} chunks (RFC 3030) rather than after {@code DATA}. */
        public boolean chunked() {
            return chunked;
        }

        /**
         * The message as sent after DATA, dot-stuffing removed, up to (without) the final ".CRLF"; or the octets of its
         * BDAT chunks, joined.
         */
        public byte[] data() {
            return data.clone();
        }

        /** {@link #data()} as UTF-8 text. */
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }

        /** Whether the message came over TLS (after STARTTLS). */
        public boolean tls() {
            return tlsProtocol != null;
        }

        /** The TLS protocol, e.g. {@code TLSv1.3}, or {@code null} without TLS. */
        public String tlsProtocol() {
            return tlsProtocol;
        }

        /** The SNI host name the client sent in the TLS handshake, or {@code null}. */
        public String serverName() {
            return serverName;
        }

        /**
         * When the TLS session was created (epoch milliseconds, {@code SSLSession.getCreationTime()}), 0 without TLS: a
         * connection that resumed an earlier session (RFC 8446 §2.2) has that session's time.
         */
        public long tlsSessionCreated() {
            return tlsSessionCreated;
        }

        /**
         * When the server accepted it ({@link System#nanoTime()}, read once the message's final {@code CRLF.CRLF} was in,
         * before the 250 left): for rates over time, against other {@code nanoTime} readings of the same JVM.
         */
        public long arrivalNanos() {
            return arrivalNanos;
        }

        @Override
        public String toString() {
            return "#" + connectionId + " <" + sender + "> " + mailParameters + " -> " + recipients + " (" + data.length
                + " bytes" + (tls() ? ", " + tlsProtocol + ", SNI " + serverName : ", cleartext") + ")";
        }
    }
}

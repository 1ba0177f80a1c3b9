package io.github.jamesmtasts.testkit;

import io.github.jamesmtasts.testkit.MxServer.Reply;
import io.github.jamesmtasts.testkit.MxServer.Step;

import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One SMTP connection of an {@link MxServer}: reads commands and answers each under the options in
 * force when it arrives. Runs on its own thread; the server closes the socket when it returns.
 */
final class MxSession {
    private static final String[] TLS_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static final Runnable NOTHING = () -> { };

    /** How a step ended: its reply was positive, negative, or the session is over (hang-up, stall). */
    private enum Outcome { ACCEPTED, REFUSED, ENDED }

    private final MxServer server;
    private final int connectionId;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private MxServer.Config current;
    private String clientName;
    private SSLSession tls;
    private String sender;
    private Map<String, String> mailParameters;
    private final List<String> recipients = new ArrayList<>();
    private final ByteArrayOutputStream chunks = new ByteArrayOutputStream();

    MxSession(MxServer server, int connectionId, Socket socket) throws IOException {
        this.server = server;
        this.connectionId = connectionId;
        this.socket = socket;
        // Each reply goes out at once: with Nagle's algorithm, the reply after a pipelined one waits for the
        // client's delayed ACK (40 ms on Linux), and the sink, not the client, would set the pace.
        socket.setTcpNoDelay(true);
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    void run() throws IOException {
        current = server.config();
        Outcome greeting = answer(Step.GREETING, null, Reply.of(220, current.options.greetingHost() + " ESMTP test MX"), NOTHING);
        if (greeting == Outcome.ENDED) {
            return;
        }
        // RFC 5321 §3.1: after a 554 greeting the server waits for QUIT, refusing everything else
        boolean inService = greeting == Outcome.ACCEPTED;
        for (String line = readCommand(); line != null; line = readCommand()) {
            current = server.config();
            int space = line.indexOf(' ');
            String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
            String argument = space < 0 ? "" : line.substring(space + 1).trim();
            if (!inService && !"QUIT".equals(verb)) {
                send(Reply.of(503, "5.5.0 No service here, only QUIT"));
            } else if (!handle(verb, argument)) {
                return;
            }
        }
    }

    /** Answers one command; {@code false} ends the session. */
    private boolean handle(String verb, String argument) throws IOException {
        switch (verb) {
            case "EHLO":
                return hello(Step.EHLO, argument, ehloReply(argument));
            case "HELO":
                return hello(Step.HELO, argument, Reply.of(250, current.options.greetingHost()));
            case "STARTTLS":
                return startTls();
            case "MAIL":
                return mail(argument);
            case "RCPT":
                return rcpt(argument);
            case "DATA":
                return data();
            case "BDAT":
                return current.options.chunking() ? bdat(argument) : unknownCommand();
            case "RSET":
                return rset();
            case "NOOP":
                send(Reply.of(250, "2.0.0 Ok"));
                return true;
            case "VRFY":
                send(Reply.of(252, "2.5.0 Cannot VRFY, but will accept the message"));
                return true;
            case "QUIT":
                answer(Step.QUIT, null, Reply.of(221, "2.0.0 Bye"), NOTHING);
                return false;
            default:
                return unknownCommand();
        }
    }

    private boolean unknownCommand() throws IOException {
        send(Reply.of(500, "5.5.2 Command not recognized"));
        return true;
    }

    private Reply ehloReply(String argument) {
        List<String> lines = new ArrayList<>();
        lines.add(current.options.greetingHost() + " greets " + argument);
        lines.addAll(current.options.keywords(tls != null));
        if (tls == null && current.offersStartTls()) {
            lines.add("STARTTLS");
        }
        return Reply.of(250, String.join("\n", lines));
    }

    private boolean hello(Step step, String argument, Reply normal) throws IOException {
        if (argument.isEmpty()) {
            send(Reply.of(501, "5.5.4 " + step + " needs a domain or address literal"));
            return true;
        }
        return answer(step, null, normal, () -> {
            // RFC 5321 §4.1.4: EHLO/HELO also reset any transaction in progress
            clientName = argument;
            resetTransaction();
        }) != Outcome.ENDED;
    }

    private boolean startTls() throws IOException {
        if (tls != null) {
            send(Reply.of(503, "5.5.1 TLS already active"));
            return true;
        }
        if (!current.offersStartTls()) {
            send(Reply.of(502, "5.5.1 STARTTLS not supported"));
            return true;
        }
        Outcome ready = answer(Step.STARTTLS, null, Reply.of(220, "2.0.0 Ready to start TLS"), NOTHING);
        if (ready != Outcome.ACCEPTED) {
            return ready == Outcome.REFUSED;
        }
        if (current.options.stalls(Step.TLS_HANDSHAKE)) {
            drainUntilClosed();
            return false;
        }
        SSLSocket secure = (SSLSocket) current.tls.getSocketFactory()
            .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
        secure.setUseClientMode(false);
        secure.setEnabledProtocols(TLS_PROTOCOLS);
        try {
            secure.startHandshake();
        } catch (IOException refused) {
            server.handshakeFailed();
            return false;
        }
        // RFC 3207 §4.2 / §5: drop whatever was pipelined in cleartext, forget the EHLO and start over
        socket = secure;
        in = new BufferedInputStream(secure.getInputStream());
        out = secure.getOutputStream();
        tls = secure.getSession();
        clientName = null;
        resetTransaction();
        return true;
    }

    private boolean mail(String argument) throws IOException {
        if (clientName == null) {
            send(Reply.of(503, "5.5.1 EHLO or HELO first"));
            return true;
        }
        if (sender != null) {
            send(Reply.of(503, "5.5.1 Nested MAIL command"));
            return true;
        }
        Path path = Path.parse(argument, "FROM:");
        if (path == null) {
            send(Reply.of(501, "5.5.4 Syntax: MAIL FROM:<address> [parameters]"));
            return true;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String parameter : path.parameters) {
            int equals = parameter.indexOf('=');
            String name = (equals < 0 ? parameter : parameter.substring(0, equals)).toUpperCase(Locale.ROOT);
            if (!current.options.accepts(name, tls != null)) {
                send(Reply.of(555, "5.5.4 Unsupported parameter " + name));
                return true;
            }
            parameters.put(name, equals < 0 ? "" : parameter.substring(equals + 1));
        }
        if (tooBig(parameters.get("SIZE"))) {
            send(Reply.of(552, "5.3.4 Message size exceeds fixed limit"));
            return true;
        }
        return answer(Step.MAIL, null, Reply.of(250, "2.1.0 Ok"), () -> {
            sender = path.address;
            mailParameters = parameters;
        }) != Outcome.ENDED;
    }

    /** RFC 1870 §6.2: a declared size above the offered maximum is refused at MAIL. */
    private boolean tooBig(String declaredSize) {
        try {
            return declaredSize != null && Long.parseLong(declaredSize) > current.options.size();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private boolean rcpt(String argument) throws IOException {
        if (sender == null) {
            send(Reply.of(503, "5.5.1 MAIL first"));
            return true;
        }
        Path path = Path.parse(argument, "TO:");
        if (path == null || path.address.isEmpty()) {
            send(Reply.of(501, "5.5.4 Syntax: RCPT TO:<address>"));
            return true;
        }
        if (!path.parameters.isEmpty()) {
            // RFC 5321 §4.1.1.11: no extension offered here defines RCPT parameters (no DSN)
            send(Reply.of(555, "5.5.4 Unsupported parameter " + path.parameters.get(0)));
            return true;
        }
        return answer(Step.RCPT, current.options.recipientReply(path.address), Reply.of(250, "2.1.5 Ok"),
            () -> recipients.add(path.address)) != Outcome.ENDED;
    }

    private boolean data() throws IOException {
        if (refusedWithoutEnvelope()) {
            return true;
        }
        Outcome go = answer(Step.DATA, null, Reply.of(354, "End data with <CR><LF>.<CR><LF>"), NOTHING);
        if (go != Outcome.ACCEPTED) {
            return go == Outcome.REFUSED;
        }
        Reply scripted = current.options.scripted(Step.DATA);
        if (scripted != null && scripted.code() != 354) {
            // A positive reply other than 354 (a lie): no content is expected; what follows are commands.
            resetTransaction();
            return true;
        }
        byte[] message = readData();
        if (message == null) {
            return false;
        }
        return endOfMessage(message, false);
    }

    /**
     * RFC 3030 §2: {@code BDAT <size> [LAST]}. The chunk's octets are always read, even when the command is refused,
     * since they follow it unasked; chunks add up to the message, and the LAST one ends it like the final dot.
     */
    private boolean bdat(String argument) throws IOException {
        String[] words = argument.split(" +");
        long size;
        try {
            size = Long.parseLong(words[0]);
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size < 0 || size > Integer.MAX_VALUE) {
            send(Reply.of(501, "5.5.4 Syntax: BDAT <size> [LAST]"));
            return true;
        }
        boolean last = words.length > 1 && "LAST".equalsIgnoreCase(words[1]);
        byte[] octets = in.readNBytes((int) size);
        if (octets.length < size) {
            return false;
        }
        if (refusedWithoutEnvelope()) {
            return true;
        }
        chunks.write(octets);
        if (!last) {
            send(Reply.of(250, "2.0.0 " + size + " octets received"));
            return true;
        }
        return endOfMessage(chunks.toByteArray(), true);
    }

    /** DATA or BDAT without MAIL, or without an accepted RCPT, is refused (RFC 5321 §3.3, RFC 3030 §2). */
    private boolean refusedWithoutEnvelope() throws IOException {
        if (sender == null) {
            send(Reply.of(503, "5.5.1 MAIL first"));
            return true;
        }
        if (recipients.isEmpty()) {
            send(Reply.of(554, "5.5.1 No valid recipients"));
            return true;
        }
        return false;
    }

    /** Answers the end of a message; recorded before the reply leaves, so a client that saw 250 always finds it. */
    private boolean endOfMessage(byte[] message, boolean chunked) throws IOException {
        Outcome end = answer(Step.DATA_END, null, Reply.of(250, "2.0.0 Ok: queued on connection " + connectionId),
            () -> server.accepted(new MxServer.Received(connectionId, clientName, sender, mailParameters, recipients,
                message, tls == null ? null : tls.getProtocol(), tls == null ? null : TlsSessions.serverName(tls),
                tls == null ? 0 : tls.getCreationTime(), chunked)));
        resetTransaction();
        return end != Outcome.ENDED;
    }

    private boolean rset() throws IOException {
        return answer(Step.RSET, null, Reply.of(250, "2.0.0 Ok"), this::resetTransaction) != Outcome.ENDED;
    }

    /**
     * Answers a step under the current faults. A hang-up or a stall ends the session. Otherwise the
     * reply is the per-recipient one, the one scripted for the step, or the normal one; when it is
     * positive, {@code onAccepted} runs before it is sent.
     */
    private Outcome answer(Step step, Reply recipientReply, Reply normal, Runnable onAccepted) throws IOException {
        MxServer.Options options = current.options;
        if (options.hangsUp(step)) {
            return Outcome.ENDED;
        }
        if (options.stalls(step)) {
            drainUntilClosed();
            return Outcome.ENDED;
        }
        Reply scripted = options.scripted(step);
        Reply reply = recipientReply != null ? recipientReply : scripted != null ? scripted : normal;
        if (options.neverEnds(step)) {
            sendForEver(reply);
            return Outcome.ENDED;
        }
        if (reply.positive()) {
            onAccepted.run();
        }
        send(reply, options.injection(step));
        return reply.positive() ? Outcome.ACCEPTED : Outcome.REFUSED;
    }

    /** Continuation lines of {@code reply}, until the client hangs up. */
    private void sendForEver(Reply reply) throws IOException {
        byte[] line = (reply.code() + "-" + reply.text().replace('\n', ' ') + "\r\n").getBytes(StandardCharsets.UTF_8);
        try {
            while (true) {
                out.write(line);
                out.flush();
            }
        } catch (IOException clientGone) {
            // the client gave up, as it must
        }
    }

    private void resetTransaction() {
        sender = null;
        mailParameters = null;
        recipients.clear();
        chunks.reset();
    }

    private void send(Reply reply) throws IOException {
        send(reply, null);
    }

    /**
     * RFC 5321 §4.2: every line but the last of a reply has a hyphen after the code. {@code injected} octets,
     * if any, follow in the same write; the options may delay the reply or write it one octet at a time.
     */
    private void send(Reply reply, String injected) throws IOException {
        String[] lines = reply.text().split("\n", -1);
        StringBuilder wire = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            wire.append(reply.code()).append(i < lines.length - 1 ? '-' : ' ').append(lines[i]).append("\r\n");
        }
        if (injected != null) {
            wire.append(injected);
        }
        byte[] octets = wire.toString().getBytes(StandardCharsets.UTF_8);
        MxServer.Options options = current.options;
        pause(options.replyDelay());
        if (options.dribbles()) {
            for (byte octet : octets) {
                out.write(octet);
                out.flush();
            }
        } else {
            out.write(octets);
            out.flush();
        }
    }

    private static void pause(Duration delay) throws IOException {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while delaying a reply");
        }
    }

    /** A command line without its line ending, or {@code null} when the client has gone. */
    private String readCommand() throws IOException {
        byte[] line = readLine();
        if (line == null) {
            return null;
        }
        int end = line.length - 1;
        if (end > 0 && line[end - 1] == '\r') {
            end--;
        }
        return new String(line, 0, end, StandardCharsets.UTF_8);
    }

    /**
     * The message after DATA, up to the line holding a single dot (RFC 5321 §4.1.1.4), with the
     * dot-stuffing of §4.5.2 undone: a line that starts with a dot loses that dot. Line endings
     * are kept as the client sent them. {@code null} if the client went away before the end.
     */
    private byte[] readData() throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        for (byte[] line = readLine(); line != null; line = readLine()) {
            if (isEndOfData(line)) {
                return message.toByteArray();
            }
            int unstuffed = line[0] == '.' ? 1 : 0;
            message.write(line, unstuffed, line.length - unstuffed);
        }
        return null;
    }

    private static boolean isEndOfData(byte[] line) {
        return line[0] == '.' && (line.length == 2 && line[1] == '\n' || line.length == 3 && line[1] == '\r' && line[2] == '\n');
    }

    /** One line including its LF, or {@code null} if the stream ends before a full line. */
    private byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            line.write(b);
            if (b == '\n') {
                return line.toByteArray();
            }
        }
        return null;
    }

    /** A stalled server reads on, answering nothing, until the client (or the server's close) ends the connection. */
    private void drainUntilClosed() throws IOException {
        byte[] buffer = new byte[4096];
        while (in.read(buffer) >= 0) {
            // discard
        }
    }

    /** The path and parameters of MAIL FROM / RCPT TO (RFC 5321 §4.1.2), leniently parsed. */
    private static final class Path {
        private final String address;
        private final List<String> parameters;

        private Path(String address, List<String> parameters) {
            this.address = address;
            this.parameters = parameters;
        }

        /** {@code <address> [param ...]} after the {@code FROM:}/{@code TO:} prefix, or {@code null} if malformed. */
        static Path parse(String argument, String prefix) {
            if (!argument.regionMatches(true, 0, prefix, 0, prefix.length())) {
                return null;
            }
            String rest = argument.substring(prefix.length()).trim();
            int close = rest.indexOf('>');
            if (!rest.startsWith("<") || close < 0) {
                return null;
            }
            String parameters = rest.substring(close + 1).trim();
            return new Path(rest.substring(1, close), parameters.isEmpty() ? List.of() : List.of(parameters.split(" +")));
        }
    }
}

package io.github.jamesmtasts.smtp;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * An SMTP connection past its greeting, {@code EHLO} and (maybe) STARTTLS: ready for mail
 * transactions, one after another. Knows what the server offered after the last {@code EHLO},
 * whether TLS is up, and how many messages it has carried.
 */
final class SmtpSession {
    private final SmtpConnection connection;
    private final EhloCapabilities capabilities;
    private final boolean tlsEstablished;
    private int messages;
    private final Set<String> domains = new HashSet<>();
    private volatile boolean reusable = true;

    SmtpSession(SmtpConnection connection, EhloCapabilities capabilities, boolean tlsEstablished) {
        this.connection = connection;
        this.capabilities = capabilities;
        this.tlsEstablished = tlsEstablished;
    }

    SmtpConnection connection() {
        return connection;
    }

    /** What the server announced in its last {@code EHLO} reply (after STARTTLS when TLS is up, RFC 3207 §4.2). */
    EhloCapabilities capabilities() {
        return capabilities;
    }

    boolean tlsEstablished() {
        return tlsEstablished;
    }

    String localAddress() {
        return connection.localAddress();
    }

    /** Counts one more message started on this session. */
    synchronized int startMessage() {
        return ++messages;
    }

    synchronized int messages() {
        return messages;
    }

    /** Notes that the session carries mail for {@code domain}; true the first time for that domain. */
    synchronized boolean carry(String domain) {
        return domains.add(domain);
    }

    /** The connection must not carry another message (a 421, a failed RSET, a broken exchange). */
    void doNotReuse() {
        reusable = false;
    }

    boolean isReusable() {
        return reusable && connection.isOpen();
    }

    /** Runs {@code task} on the connection's event loop after {@code delay}. */
    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return connection.schedule(task, delay);
    }

    CompletableFuture<Void> quit(Command quit) {
        return connection.quit(quit);
    }

    @Override
    public String toString() {
        return connection.describe() + (tlsEstablished ? " TLS" : " plaintext") + ", " + messages + " message(s)";
    }
}

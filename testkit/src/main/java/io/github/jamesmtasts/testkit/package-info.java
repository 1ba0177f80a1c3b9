/**
 * A small Internet on loopback for tests: the servers an MTA-STS sender talks to, each real enough
 * that the code under test uses its production path against it.
 *
 * <ul>
 *   <li>{@link io.github.jamesmtasts.testkit.TestDnsServer}: an authoritative DNS server (UDP and
 *       TCP, port 53) holding the {@code _mta-sts} and {@code _smtp._tls} TXT records, MX and
 *       address records; it can fail on demand.</li>
 *   <li>{@link io.github.jamesmtasts.testkit.PolicyHost}: the HTTPS server at
 *       {@code mta-sts.<domain>:443} that serves {@code /.well-known/mta-sts.txt} (RFC 8461 §3.3),
 *       or takes TLS-RPT reports by POST (RFC 8460 §3), with scripted misbehaviour.</li>
 *   <li>{@link io.github.jamesmtasts.testkit.MxServer}: an SMTP server on port 25 with STARTTLS,
 *       scripted replies, stalls and hang-ups, that records the mail it accepts.</li>
 *   <li>{@link io.github.jamesmtasts.testkit.DnssecWorld}: DNSSEC for DANE tests, from Debian's own programs:
 *       zones signed at test time with ldns, served by NSD and validated by unbound, the resolver a test or
 *       James asks; zones signed, unsigned or bogus.</li>
 *   <li>{@link io.github.jamesmtasts.testkit.PostfixServer}: a real Postfix as an MX host.</li>
 *   <li>{@link io.github.jamesmtasts.testkit.CassandraServer}: a real one-node Cassandra as a child JVM, which
 *       takes some 20 seconds to start, unlike the others.</li>
 *   <li>{@link io.github.jamesmtasts.testkit.TestCa}: certificates made at test time, valid, expired,
 *       for the wrong name or self-signed.</li>
 * </ul>
 * Every server binds a loopback address only ({@link io.github.jamesmtasts.testkit.LoopbackAddresses#next()}
 * gives a fresh one per test, so the standard ports never collide), starts in a few milliseconds and
 * is {@link java.lang.AutoCloseable}: closing it frees its address and stops its threads.
 */
package io.github.jamesmtasts.testkit;

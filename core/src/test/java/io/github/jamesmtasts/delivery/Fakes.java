package io.github.jamesmtasts.delivery;

import io.github.jamesmtasts.dns.DnsAnswer;
import io.github.jamesmtasts.dns.MxHost;
import io.github.jamesmtasts.mtasts.Mode;
import io.github.jamesmtasts.mtasts.MxPattern;
import io.github.jamesmtasts.mtasts.Policy;
import io.github.jamesmtasts.policy.PolicyLookup;
import io.github.jamesmtasts.policy.PolicyResolver;
import io.github.jamesmtasts.result.Failure;
import io.github.jamesmtasts.result.ResultSink;
import io.github.jamesmtasts.result.SessionResult;
import io.github.jamesmtasts.smtp.Envelope;
import io.github.jamesmtasts.smtp.MessageContent;
import io.github.jamesmtasts.smtp.MxTarget;
import io.github.jamesmtasts.smtp.RecipientOutcome;
import io.github.jamesmtasts.smtp.SessionOutcome;
import io.github.jamesmtasts.smtp.SmtpReply;
import io.github.jamesmtasts.smtp.SmtpSender;
import io.github.jamesmtasts.smtp.TlsStance;

import io.github.jamesmtasts.dane.HostTlsa;
import io.github.jamesmtasts.dane.TlsaRecord;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TLSARecord;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** Fakes of delivery's collaborators: scripted policies, DNS and SMTP sessions, and a recording sink. */
public final class Fakes {
    private Fakes() {
    }

    public static Policy policy(Mode mode, String... mx) {
        List<String> lines = new ArrayList<>(List.of("version: STSv1", "mode: " + mode.keyword()));
        List<MxPattern> patterns = new ArrayList<>();
        for (String pattern : mx) {
            lines.add("mx: " + pattern);
            patterns.add(MxPattern.of(pattern));
        }
        lines.add("max_age: 86400");
        return new Policy(mode, patterns, Duration.ofDays(1), lines);
    }

    public static PolicyLookup found(String domain, String id, Policy policy) {
        return PolicyLookup.found(domain, policy, id, Instant.parse("2030-01-01T00:00:00Z"), null);
    }

    public static InetAddress ip(String literal) {
        try {
            return InetAddress.getByAddress(InetAddress.getByName(literal).getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static SmtpReply reply(int code, String enhanced, String text) {
        return new SmtpReply(code, enhanced, List.of(text));
    }

    /** A policy resolver answering from a map; {@code recheck} answers from a second map when set there. */
    public static final class Policies implements PolicyResolver {
        public final Map<String, PolicyLookup> current = new HashMap<>();
        public final Map<String, PolicyLookup> afterRecheck = new HashMap<>();
        public final List<String> resolved = new CopyOnWriteArrayList<>();
        public final List<String> rechecked = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<PolicyLookup> resolve(String domain) {
            resolved.add(domain);
            return CompletableFuture.completedFuture(current.getOrDefault(domain, PolicyLookup.none(domain)));
        }

        @Override
        public CompletableFuture<PolicyLookup> recheck(String domain) {
            rechecked.add(domain);
            PolicyLookup fresh = afterRecheck.containsKey(domain) ? afterRecheck.get(domain) : current.get(domain);
            if (fresh == null) {
                fresh = PolicyLookup.none(domain);
            }
            current.put(domain, fresh);
            return CompletableFuture.completedFuture(fresh);
        }
    }

    /**
     * MX, address and TLSA answers from maps; a name not in a map does not exist. MX and address answers say what
     * {@link #dnssec} says of them (not known, unless a test sets it).
     */
    public static final class Directory implements MxDirectory {
        public final Map<String, DnsAnswer<MxHost>> mx = new HashMap<>();
        public final Map<String, DnsAnswer<InetAddress>> addresses = new HashMap<>();
        public final Map<String, DnsAnswer<TLSARecord>> tlsa = new HashMap<>();
        public DnsAnswer.Dnssec dnssec = DnsAnswer.Dnssec.INDETERMINATE;

        /** Secure TLSA records at {@code _25._tcp.<host>}. */
        public Directory tlsa(String host, TlsaRecord... records) {
            List<TLSARecord> rrset = new ArrayList<>();
            for (TlsaRecord record : records) {
                rrset.add(new TLSARecord(Name.fromConstantString(HostTlsa.ownerName(host, 25) + "."), DClass.IN, 300,
                    record.usage(), record.selector(), record.matchingType(), record.data()));
            }
            tlsa.put(HostTlsa.ownerName(host, 25), DnsAnswer.found(rrset).secured(DnsAnswer.Dnssec.SECURE, HostTlsa.ownerName(host, 25)));
            return this;
        }

        public Directory mx(String domain, MxHost... hosts) {
            mx.put(domain, DnsAnswer.found(List.of(hosts)));
            return this;
        }

        public Directory host(String host, String... ips) {
            List<InetAddress> list = new ArrayList<>();
            for (String ip : ips) {
                list.add(ip(ip));
            }
            addresses.put(host, DnsAnswer.found(list));
            return this;
        }

        @Override
        public CompletableFuture<DnsAnswer<MxHost>> mx(String domain) {
            return CompletableFuture.completedFuture(mx.getOrDefault(domain, DnsAnswer.noSuchDomain(domain + " NXDOMAIN"))
                .secured(dnssec, domain));
        }

        @Override
        public CompletableFuture<DnsAnswer<InetAddress>> addresses(String host) {
            return CompletableFuture.completedFuture(addresses.getOrDefault(host, DnsAnswer.noSuchDomain(host + " NXDOMAIN"))
                .secured(dnssec, host));
        }

        @Override
        public CompletableFuture<DnsAnswer<TLSARecord>> tlsa(String name) {
            return CompletableFuture.completedFuture(tlsa.getOrDefault(name,
                DnsAnswer.<TLSARecord>noSuchDomain(name + " NXDOMAIN").secured(dnssec, name)));
        }
    }

    /** One SMTP session as the fake saw it. */
    public record Session(MxTarget target, TlsStance stance, Envelope envelope) {
    }

    /**
     * SMTP sessions scripted per MX host name and stance; unscripted sessions deliver every recipient
     * over TLS.
     */
    public static final class Smtp implements SmtpSender {
        public final Map<String, Function<Envelope, SessionOutcome>> scripts = new HashMap<>();
        public final List<Session> sessions = new CopyOnWriteArrayList<>();

        public Smtp script(String host, TlsStance stance, Function<Envelope, SessionOutcome> script) {
            scripts.put(host + "/" + stance, script);
            return this;
        }

        public Smtp tlsFailure(String host, Failure failure) {
            return script(host, TlsStance.VERIFIED, envelope -> SessionOutcome.builder(SessionOutcome.Kind.TLS_FAILURE)
                .tlsFailure(failure).detail(failure.detail()).build());
        }

        @Override
        public CompletableFuture<SessionOutcome> send(MxTarget target, TlsStance stance, Envelope envelope, MessageContent content) {
            sessions.add(new Session(target, stance, envelope));
            Function<Envelope, SessionOutcome> script = scripts.getOrDefault(target.hostname() + "/" + stance, Fakes::deliverAll);
            return CompletableFuture.completedFuture(script.apply(envelope));
        }

        public List<String> hostsTried() {
            return sessions.stream().map(session -> session.target().hostname() + "/" + session.stance()).toList();
        }

        @Override
        public void close() {
        }
    }

    public static SessionOutcome deliverAll(Envelope envelope) {
        return completed(envelope, recipient -> reply(250, "2.1.5", "ok"));
    }

    /** A completed session whose per-recipient replies come from {@code replies}. */
    public static SessionOutcome completed(Envelope envelope, Function<String, SmtpReply> replies) {
        List<RecipientOutcome> outcomes = envelope.recipients().stream().map(recipient -> {
            SmtpReply reply = replies.apply(recipient);
            RecipientOutcome.Status status = reply.isPositive() ? RecipientOutcome.Status.DELIVERED
                : reply.isTransientFailure() ? RecipientOutcome.Status.TEMPORARY_FAILURE : RecipientOutcome.Status.PERMANENT_FAILURE;
            return new RecipientOutcome(recipient, status, reply);
        }).toList();
        return SessionOutcome.builder(SessionOutcome.Kind.COMPLETED).recipients(outcomes).tlsEstablished(true)
            .localAddress("127.0.0.1").detail("done").build();
    }

    /** Keeps every result. */
    public static final class Sink implements ResultSink {
        public final List<SessionResult> results = new CopyOnWriteArrayList<>();

        @Override
        public void record(SessionResult result) {
            results.add(result);
        }
    }
}

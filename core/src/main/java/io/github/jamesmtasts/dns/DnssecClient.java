package io.github.jamesmtasts.dns;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The look-ups DANE decides on (RFC 7672 §2): MX, A/AAAA and TLSA, each answer with what DNSSEC says of it. Every
 * query asks for the AD bit (RFC 6840 §5.7); the answer is secure only when the bit is set and the resolver is
 * trusted ({@link ResolverTrust}). A SERVFAIL, which is how a validating resolver answers a bogus name, is a
 * temporary failure.
 *
 * <p>An answer that ends in a CNAME without the records of its target (what an authoritative server that does not
 * hold the target says) is followed by a question for the target; the answer is secure only if every step was.
 *
 * <p>Answers are kept for their TTL, and concurrent deliveries to one domain share one question in flight; a
 * temporary failure is asked again. The queries go straight to the resolver, not through dnsjava's {@code Lookup}
 * or {@code LookupSession} and their cache: of a response only the answer section's records at the question's name, or at the end of a CNAME
 * chain starting there, are read (the records a hostile server adds elsewhere are never believed: dnsjava 3.5.2's
 * CVE-2024-25638 is in its caching look-ups). No validation happens in this process. Thread-safe.
 */
public final class DnssecClient {
    // RFC 1034 §3.6.2 gives no limit; eight CNAMEs are plenty for a mail host.
    private static final int MAX_CNAMES = 8;

    /** A validating resolver keeps answers for their TTL too; an hour bounds what a long TTL keeps here. */
    private static final Duration MAX_TTL = Duration.ofHours(1);
    private static final int MAX_ENTRIES = 10_000;

    private final Resolver resolver;
    private final ResolverTrust trust;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public DnssecClient(Resolver resolver, ResolverTrust trust) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.trust = Objects.requireNonNull(trust, "trust");
    }

    /** Whether the resolver's AD bit is believed: without it, no answer here is ever secure. */
    public ResolverTrust trust() {
        return trust;
    }

    /** The MX records of a domain, in preference order (lowest first). */
    public CompletableFuture<DnsAnswer<MxHost>> mx(String domain) {
        return query(domain, Type.MX, record -> {
            MXRecord mx = (MXRecord) record;
            return new MxHost(HostNames.canonical(mx.getTarget()), mx.getPriority());
        }).thenApply(answer -> answer.found()
            ? DnsAnswer.found(answer.records().stream().sorted(Comparator.comparingInt(MxHost::preference))
                .collect(Collectors.toList()), answer.ttl()).secured(answer.dnssec(), answer.canonicalName().orElse(null))
            : answer);
    }

    /**
     * The IPv4 and IPv6 addresses of a host, IPv4 first. Secure only when both answers are (RFC 7672 §2.2: the
     * addresses of a host with TLSA records must be validated). The canonical name is the A answer's. When one
     * family fails, the host fails if the other is secure or empty, and the other's addresses stand (not secure)
     * otherwise.
     */
    public CompletableFuture<DnsAnswer<InetAddress>> addresses(String host) {
        CompletableFuture<DnsAnswer<InetAddress>> v4 = query(host, Type.A, record -> ((ARecord) record).getAddress());
        CompletableFuture<DnsAnswer<InetAddress>> v6 = query(host, Type.AAAA, record -> ((AAAARecord) record).getAddress());
        return v4.thenCombine(v6, (a, aaaa) -> {
            boolean failed = a.status() == DnsAnswer.Status.TEMPORARY_FAILURE || aaaa.status() == DnsAnswer.Status.TEMPORARY_FAILURE;
            DnsAnswer<InetAddress> other = a.status() == DnsAnswer.Status.TEMPORARY_FAILURE ? aaaa : a;
            if (failed && (!other.found() || other.secure())) {
                // RFC 7672 §2.1.1: in a signed zone a family that fails validation fails the host, never "no addresses".
                return a.status() == DnsAnswer.Status.TEMPORARY_FAILURE ? a : aaaa;
            }
            if (failed) {
                // Without DNSSEC, as DnsClient does: a server that cannot answer one family does not cost the other.
                return other;
            }
            DnsAnswer.Dnssec both = weaker(a.dnssec(), aaaa.dnssec());
            String name = a.canonicalName().orElse(aaaa.canonicalName().orElse(null));
            if (!a.found() && !aaaa.found()) {
                return a.secured(both, name);
            }
            List<InetAddress> all = new ArrayList<>(a.records());
            all.addAll(aaaa.records());
            Duration ttl = !a.found() ? aaaa.ttl() : !aaaa.found() ? a.ttl() : a.ttl().compareTo(aaaa.ttl()) <= 0 ? a.ttl() : aaaa.ttl();
            return DnsAnswer.found(all, ttl).secured(both, name);
        });
    }

    /** The TLSA records at a name such as {@code _25._tcp.mx.example.com} (RFC 6698 §3, RFC 7672 §2.2). */
    public CompletableFuture<DnsAnswer<TLSARecord>> tlsa(String name) {
        return query(name, Type.TLSA, record -> (TLSARecord) record);
    }

    /**
     * One question through the cache: an answer is kept for its TTL (at most {@link #MAX_TTL}), a question already on
     * its way is shared by whoever asks the same meanwhile, a temporary failure is not kept.
     */
    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<DnsAnswer<T>> query(String name, int type, Function<Record, T> data) {
        Name qname;
        try {
            qname = Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(DnsAnswer.noSuchDomain("not a domain name: " + name));
        }
        String key = type + " " + qname.toString().toLowerCase(Locale.ROOT);
        long now = System.nanoTime();
        Cached cached = cache.get(key);
        if (cached != null && cached.fresh(now)) {
            return (CompletableFuture<DnsAnswer<T>>) (CompletableFuture<?>) cached.answer;
        }
        if (cache.size() >= MAX_ENTRIES) {
            cache.values().removeIf(entry -> !entry.fresh(now));
        }
        CompletableFuture<DnsAnswer<T>> answer = query(qname, type, data, 0, DnsAnswer.Dnssec.SECURE);
        Cached asked = new Cached(answer, Long.MAX_VALUE);
        cache.put(key, asked);
        answer.thenAccept(done -> {
            Duration ttl = done.status() == DnsAnswer.Status.TEMPORARY_FAILURE ? Duration.ZERO
                : done.ttl().compareTo(MAX_TTL) > 0 ? MAX_TTL : done.ttl();
            if (ttl.isZero() || ttl.isNegative()) {
                cache.remove(key, asked);
            } else {
                cache.replace(key, asked, new Cached(answer, System.nanoTime() + ttl.toNanos()));
            }
        });
        return answer;
    }

    /** An answer, or a question on its way ({@code expires} at the end of time), by question. */
    private static final class Cached {
        private final CompletableFuture<? extends DnsAnswer<?>> answer;
        private final long expires;

        private Cached(CompletableFuture<? extends DnsAnswer<?>> answer, long expires) {
            this.answer = answer;
            this.expires = expires;
        }

        private boolean fresh(long now) {
            return expires == Long.MAX_VALUE || now - expires < 0;
        }
    }

    /**
     * One question; when the answer ends in a CNAME whose target it does not hold (an authoritative server does not
     * chase aliases), the target is asked next. {@code chain} is the weakest DNSSEC state of the aliases so far.
     */
    private <T> CompletableFuture<DnsAnswer<T>> query(Name qname, int type, Function<Record, T> data, int hops, DnsAnswer.Dnssec chain) {
        Message query = Message.newQuery(Record.newRecord(qname, type, DClass.IN));
        // RFC 6840 §5.7: a query with AD set asks a validating resolver to say whether it validated.
        query.getHeader().setFlag(Flags.AD);
        String question = qname + " " + Type.string(type);
        return resolver.sendAsync(query).toCompletableFuture()
            .thenCompose(response -> {
                Reading<T> reading = read(response, qname, type, data, question);
                DnsAnswer.Dnssec state = weaker(chain, reading.answer.dnssec());
                if (reading.alias == null) {
                    return CompletableFuture.completedFuture(reading.answer.secured(state, reading.answer.canonicalName().orElse(null)));
                }
                if (hops + reading.hops >= MAX_CNAMES) {
                    return CompletableFuture.completedFuture(DnsAnswer.<T>temporaryFailure(question + ": more than " + MAX_CNAMES + " CNAMEs"));
                }
                return query(reading.alias, type, data, hops + reading.hops + 1, state);
            })
            .exceptionally(error -> DnsAnswer.temporaryFailure(question + ": " + error));
    }

    /** The answer a response gives, or the alias to ask next when it ends in a CNAME without its target's records. */
    private static final class Reading<T> {
        private final DnsAnswer<T> answer;
        private final Name alias;
        private final int hops;

        private Reading(DnsAnswer<T> answer, Name alias, int hops) {
            this.answer = answer;
            this.alias = alias;
            this.hops = hops;
        }
    }

    private <T> Reading<T> read(Message response, Name qname, int type, Function<Record, T> data, String question) {
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            return new Reading<>(DnsAnswer.temporaryFailure(question + ": " + Rcode.string(rcode)), null, 0);
        }
        DnsAnswer.Dnssec dnssec = !trust.trusted() ? DnsAnswer.Dnssec.INDETERMINATE
            : response.getHeader().getFlag(Flags.AD) ? DnsAnswer.Dnssec.SECURE : DnsAnswer.Dnssec.INSECURE;
        List<Record> answers = response.getSection(Section.ANSWER);
        Name owner = qname;
        for (int hops = 0; hops <= MAX_CNAMES; hops++) {
            Name at = owner;
            List<Record> found = answers.stream().filter(record -> record.getName().equals(at) && record.getType() == type)
                .collect(Collectors.toList());
            if (!found.isEmpty()) {
                long ttl = found.stream().mapToLong(Record::getTTL).min().orElse(0);
                return new Reading<>(DnsAnswer.found(found.stream().map(data).collect(Collectors.toList()), Duration.ofSeconds(ttl))
                    .secured(dnssec, HostNames.canonical(at)), null, hops);
            }
            Name next = answers.stream().filter(record -> record.getName().equals(at) && record.getType() == Type.CNAME)
                .map(record -> ((CNAMERecord) record).getTarget()).findFirst().orElse(null);
            if (next == null) {
                boolean aliasUnanswered = !owner.equals(qname) && rcode == Rcode.NOERROR;
                Duration negativeTtl = negativeTtl(response, owner);
                DnsAnswer<T> none = rcode == Rcode.NXDOMAIN ? DnsAnswer.noSuchDomain(question + ": NXDOMAIN", negativeTtl)
                    : DnsAnswer.noRecords(question + ": no records", negativeTtl);
                return new Reading<>(none.secured(dnssec, HostNames.canonical(owner)), aliasUnanswered ? owner : null, hops);
            }
            owner = next;
        }
        return new Reading<>(DnsAnswer.temporaryFailure(question + ": more than " + MAX_CNAMES + " CNAMEs"), null, 0);
    }

    /**
     * RFC 2308 §5: a negative answer may be reused for the smaller of the TTL and the MINIMUM of the SOA record in
     * its authority section, a record of a zone that holds {@code name}; zero without one.
     */
    private static Duration negativeTtl(Message response, Name name) {
        return response.getSection(Section.AUTHORITY).stream()
            .filter(record -> record.getType() == Type.SOA && name.subdomain(record.getName()))
            .map(record -> Duration.ofSeconds(Math.min(record.getTTL(), ((SOARecord) record).getMinimum())))
            .findFirst().orElse(Duration.ZERO);
    }

    private static DnsAnswer.Dnssec weaker(DnsAnswer.Dnssec a, DnsAnswer.Dnssec b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}

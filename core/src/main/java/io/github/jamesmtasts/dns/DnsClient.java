package io.github.jamesmtasts.dns;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Asynchronous TXT, MX and address look-ups through dnsjava. CNAMEs are followed by dnsjava's
 * {@link LookupSession}; answers are cached by their TTL in the dnsjava {@link Cache} given.
 * The futures never complete exceptionally: failures are {@link DnsAnswer.Status#TEMPORARY_FAILURE}.
 */
public final class DnsClient {
    /**
     * Where dnsjava completes look-ups: a pool of reused daemon threads. Its default, the common fork-join pool,
     * becomes a new thread per answer on machines with fewer than three CPUs ({@link CompletableFuture}'s rule).
     */
    private static final Executor COMPLETIONS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "mta-sts-dns");
        thread.setDaemon(true);
        return thread;
    });

    private final LookupSession cached;
    private final LookupSession uncached;

    private DnsClient(Resolver resolver, Cache cache) {
        Objects.requireNonNull(resolver, "resolver");
        this.cached = LookupSession.builder().resolver(resolver).executor(COMPLETIONS)
            .cache(Objects.requireNonNull(cache, "cache")).build();
        this.uncached = LookupSession.builder().resolver(resolver).executor(COMPLETIONS).build();
    }

    /**
     * The resolver and cache dnsjava holds as its defaults. Inside James, with {@code setAsDNSJavaDefault}
     * in {@code dnsservice.xml}, these are the servers and the cache James itself uses.
     */
    public static DnsClient fromDnsjavaDefaults() {
        return new DnsClient(Lookup.getDefaultResolver(), Lookup.getDefaultCache(DClass.IN));
    }

    /** A client of the given resolver with a cache of its own. */
    public static DnsClient using(Resolver resolver) {
        return new DnsClient(resolver, new Cache(DClass.IN));
    }

    /**
     * The TXT records at a name, each record's character-strings joined into one string
     * (RFC 7208 §3.3 style, as RFC 8461 §3.1 and RFC 8460 §3 require). Bytes are read as UTF-8.
     */
    public CompletableFuture<DnsAnswer<String>> txt(String name) {
        return lookup(cached, name, Type.TXT, DnsClient::joinedText);
    }

    /** As {@link #txt(String)}, asking the servers again rather than the cache (RFC 8461 §5.1 re-check). */
    public CompletableFuture<DnsAnswer<String>> txtUncached(String name) {
        return lookup(uncached, name, Type.TXT, DnsClient::joinedText);
    }

    /** The MX records of a domain, in preference order (lowest first). */
    public CompletableFuture<DnsAnswer<MxHost>> mx(String domain) {
        return lookup(cached, domain, Type.MX, record -> {
            MXRecord mx = (MXRecord) record;
            return new MxHost(HostNames.canonical(mx.getTarget()), mx.getPriority());
        }).thenApply(answer -> answer.found()
            ? DnsAnswer.found(answer.records().stream()
                .sorted(Comparator.comparingInt(MxHost::preference)).collect(Collectors.toList()), answer.ttl())
            : answer);
    }

    /**
     * The IPv4 and IPv6 addresses of a host, IPv4 first. Found when either family has addresses;
     * a failure of one family is then ignored.
     */
    public CompletableFuture<DnsAnswer<InetAddress>> addresses(String host) {
        CompletableFuture<DnsAnswer<InetAddress>> v4 = lookup(cached, host, Type.A, record -> ((ARecord) record).getAddress());
        CompletableFuture<DnsAnswer<InetAddress>> v6 = lookup(cached, host, Type.AAAA, record -> ((AAAARecord) record).getAddress());
        return v4.thenCombine(v6, (a, aaaa) -> {
            if (a.found() || aaaa.found()) {
                List<InetAddress> all = new ArrayList<>(a.records());
                all.addAll(aaaa.records());
                Duration ttl = a.found() && aaaa.found() ? min(a.ttl(), aaaa.ttl()) : a.found() ? a.ttl() : aaaa.ttl();
                return DnsAnswer.found(all, ttl);
            }
            return a.status() == DnsAnswer.Status.TEMPORARY_FAILURE ? a : aaaa.status() == DnsAnswer.Status.TEMPORARY_FAILURE ? aaaa : a;
        });
    }

    private static <T> CompletableFuture<DnsAnswer<T>> lookup(LookupSession session, String name, int type,
                                                            Function<Record, T> data) {
        Name qname;
        try {
            qname = Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(DnsAnswer.noSuchDomain("not a domain name: " + name));
        }
        String question = qname + " " + Type.string(type);
        return session.lookupAsync(qname, type, DClass.IN).toCompletableFuture()
            .thenApply(result -> found(result, type, data, question))
            .exceptionally(error -> failure(error, question));
    }

    private static <T> DnsAnswer<T> found(LookupResult result, int type, Function<Record, T> data, String question) {
        List<Record> matching = result.getRecords().stream()
            .filter(record -> record.getType() == type)
            .collect(Collectors.toList());
        if (matching.isEmpty()) {
            return DnsAnswer.noRecords(question + ": no records");
        }
        long ttl = matching.stream().mapToLong(Record::getTTL).min().orElse(0);
        return DnsAnswer.found(matching.stream().map(data).collect(Collectors.toList()), Duration.ofSeconds(ttl));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static <T> DnsAnswer<T> failure(Throwable error, String question) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof NoSuchDomainException) {
            return DnsAnswer.noSuchDomain(question + ": NXDOMAIN");
        }
        if (cause instanceof NoSuchRRSetException) {
            return DnsAnswer.noRecords(question + ": no records");
        }
        return DnsAnswer.temporaryFailure(question + ": " + cause.getClass().getSimpleName()
            + (cause.getMessage() == null ? "" : " " + cause.getMessage()));
    }

    private static String joinedText(Record record) {
        StringBuilder joined = new StringBuilder();
        for (byte[] part : ((TXTRecord) record).getStringsAsByteArrays()) {
            joined.append(new String(part, StandardCharsets.UTF_8));
        }
        return joined.toString();
    }
}

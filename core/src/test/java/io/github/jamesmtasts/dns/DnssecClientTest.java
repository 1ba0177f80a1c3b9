package io.github.jamesmtasts.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.jamesmtasts.testkit.DnssecWorld;
import io.github.jamesmtasts.testkit.DnssecWorld.Signing;
import io.github.jamesmtasts.testkit.LoopbackAddresses;
import io.github.jamesmtasts.testkit.TestDnsServer;

import java.net.InetAddress;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.Type;

/**
 * The DNSSEC look-ups against a real validating resolver (Unbound) in front of zones signed at test time (NSD,
 * ldns), and against the testkit's authoritative-only server.
 */
class DnssecClientTest {
    private static final String TLSA = "3 1 1 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF";
    private static DnssecWorld world;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(DnssecWorld.isInstalled(), "nsd, unbound and ldnsutils are not installed");
        world = DnssecWorld.builder("test")
            .zone("signed.test", Signing.SIGNED,
                "signed.test. 300 IN MX 10 mx.signed.test.",
                "mx.signed.test. 300 IN A 127.0.0.5",
                "alias.signed.test. 300 IN CNAME mx.signed.test.",
                "_25._tcp.mx.signed.test. 300 IN TLSA " + TLSA)
            .zone("plain.test", Signing.UNSIGNED, "plain.test. 300 IN MX 10 mx.plain.test.", "mx.plain.test. 300 IN A 127.0.0.6")
            .zone("broken.test", Signing.BOGUS, "broken.test. 300 IN MX 10 mx.broken.test.", "mx.broken.test. 300 IN A 127.0.0.7")
            .start();
    }

    @AfterAll
    static void stop() {
        if (world != null) {
            world.close();
        }
    }

    private static DnssecClient client(boolean trusted) {
        SimpleResolver resolver = new SimpleResolver(world.resolver());
        return new DnssecClient(resolver, trusted ? ResolverTrust.of(resolver, Set.of()) : ResolverTrust.of(false, "a test"));
    }

    @Test
    void aSignedZoneIsSecure() throws Exception {
        DnssecClient dns = client(true);

        DnsAnswer<MxHost> mx = dns.mx("signed.test").get(10, TimeUnit.SECONDS);
        DnsAnswer<InetAddress> addresses = dns.addresses("mx.signed.test").get(10, TimeUnit.SECONDS);
        DnsAnswer<TLSARecord> tlsa = dns.tlsa("_25._tcp.mx.signed.test").get(10, TimeUnit.SECONDS);

        assertThat(dns.trust().trusted()).isTrue();
        assertThat(mx.secure()).isTrue();
        assertThat(mx.records()).containsExactly(new MxHost("mx.signed.test", 10));
        assertThat(addresses.secure()).isTrue();
        assertThat(addresses.records()).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.5");
        assertThat(tlsa.secure()).isTrue();
        assertThat(tlsa.records()).singleElement().satisfies(record -> assertThat(record.rdataToString()).isEqualToIgnoringCase(TLSA));
    }

    @Test
    void aSecureAliasGivesTheCanonicalName() throws Exception {
        DnsAnswer<InetAddress> addresses = client(true).addresses("alias.signed.test").get(10, TimeUnit.SECONDS);

        assertThat(addresses.secure()).isTrue();
        assertThat(addresses.canonicalName()).contains("mx.signed.test");
    }

    @Test
    void anUnsignedZoneIsInsecureAndABogusOneFails() throws Exception {
        DnssecClient dns = client(true);

        DnsAnswer<MxHost> plain = dns.mx("plain.test").get(10, TimeUnit.SECONDS);
        DnsAnswer<MxHost> bogus = dns.mx("broken.test").get(10, TimeUnit.SECONDS);

        assertThat(plain.found()).isTrue();
        assertThat(plain.dnssec()).isEqualTo(DnsAnswer.Dnssec.INSECURE);
        // RFC 7672 §2.1.1: a bogus answer is a failure, never "no records".
        assertThat(bogus.status()).isEqualTo(DnsAnswer.Status.TEMPORARY_FAILURE);
    }

    @Test
    void aSecureAbsenceIsSecure() throws Exception {
        DnsAnswer<TLSARecord> none = client(true).tlsa("_25._tcp.nothing.signed.test").get(10, TimeUnit.SECONDS);

        assertThat(none.status()).isEqualTo(DnsAnswer.Status.NO_SUCH_DOMAIN);
        assertThat(none.secure()).isTrue();
    }

    @Test
    void anUntrustedResolversAdBitProvesNothing() throws Exception {
        DnsAnswer<MxHost> mx = client(false).mx("signed.test").get(10, TimeUnit.SECONDS);

        assertThat(mx.found()).isTrue();
        assertThat(mx.dnssec()).isEqualTo(DnsAnswer.Dnssec.INDETERMINATE);
    }

    @Test
    void aResolverOffLoopbackIsNotTrustedUnlessListed() throws Exception {
        SimpleResolver remote = new SimpleResolver(InetAddress.getByName("192.0.2.53"));

        assertThat(ResolverTrust.of(remote, Set.of()).trusted()).isFalse();
        assertThat(ResolverTrust.of(remote, Set.of()).reason()).contains("192.0.2.53").contains("dane.trustedResolvers");
        assertThat(ResolverTrust.of(remote, Set.of(InetAddress.getByName("192.0.2.53"))).trusted()).isTrue();
    }

    @Test
    void withoutDnssecAFamilyTheServerCannotAnswerDoesNotCostTheOther() throws Exception {
        try (TestDnsServer server = TestDnsServer.start(LoopbackAddresses.next())) {
            server.a("mx.v4only.test", "127.0.0.10").rcode("mx.v4only.test", Type.AAAA, Rcode.SERVFAIL);
            DnssecClient dns = new DnssecClient(server.resolver(), ResolverTrust.of(server.resolver(), Set.of()));

            DnsAnswer<InetAddress> addresses = dns.addresses("mx.v4only.test").get(10, TimeUnit.SECONDS);

            assertThat(addresses.records()).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.10");
            assertThat(addresses.secure()).isFalse();
        }
    }

    @Test
    void anAliasThatAnAuthoritativeServerDoesNotChaseIsFollowed() throws Exception {
        try (TestDnsServer server = TestDnsServer.start(LoopbackAddresses.next())) {
            server.cname("mail.alias.test", "host.elsewhere.test").a("host.elsewhere.test", "127.0.0.9");
            DnssecClient dns = new DnssecClient(server.resolver(), ResolverTrust.of(server.resolver(), Set.of()));

            DnsAnswer<InetAddress> addresses = dns.addresses("mail.alias.test").get(10, TimeUnit.SECONDS);

            assertThat(addresses.records()).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.9");
            assertThat(addresses.canonicalName()).contains("host.elsewhere.test");
            assertThat(addresses.secure()).isFalse();
        }
    }

    @Test
    void answersAreKeptForTheirTtlAndOneQuestionInFlightIsShared() throws Exception {
        try (TestDnsServer server = TestDnsServer.start(LoopbackAddresses.next())) {
            server.ttl(java.time.Duration.ofMinutes(5)).mx("cached.test", 10, "mx.cached.test");
            DnssecClient dns = new DnssecClient(server.resolver(), ResolverTrust.of(server.resolver(), Set.of()));

            java.util.concurrent.CompletableFuture<DnsAnswer<MxHost>> first = dns.mx("cached.test");
            java.util.concurrent.CompletableFuture<DnsAnswer<MxHost>> second = dns.mx("cached.test");
            assertThat(first.get(10, TimeUnit.SECONDS).records()).isEqualTo(second.get(10, TimeUnit.SECONDS).records());
            dns.mx("CACHED.test.").get(10, TimeUnit.SECONDS);

            assertThat(server.queries("cached.test", Type.MX)).isEqualTo(1);
        }
    }

    @Test
    void aZeroTtlOrAFailureIsAskedAgain() throws Exception {
        try (TestDnsServer server = TestDnsServer.start(LoopbackAddresses.next())) {
            server.ttl(java.time.Duration.ZERO).mx("fresh.test", 10, "mx.fresh.test").rcode("failing.test", Type.MX, Rcode.SERVFAIL);
            DnssecClient dns = new DnssecClient(server.resolver(), ResolverTrust.of(server.resolver(), Set.of()));

            dns.mx("fresh.test").get(10, TimeUnit.SECONDS);
            dns.mx("fresh.test").get(10, TimeUnit.SECONDS);
            dns.mx("failing.test").get(10, TimeUnit.SECONDS);
            dns.mx("failing.test").get(10, TimeUnit.SECONDS);

            assertThat(server.queries("fresh.test", Type.MX)).isEqualTo(2);
            assertThat(server.queries("failing.test", Type.MX)).isEqualTo(2);
        }
    }

    @Test
    void aNegativeAnswerIsKeptForItsSoaTtlAndAskedAgainWithoutOne() throws Exception {
        try (TestDnsServer withSoa = TestDnsServer.start(LoopbackAddresses.next());
             TestDnsServer withoutSoa = TestDnsServer.start(LoopbackAddresses.next())) {
            withSoa.negativeTtl(java.time.Duration.ofMinutes(5)).a("v4only.test", "127.0.0.7");
            withoutSoa.a("v4only.test", "127.0.0.7");
            DnssecClient cached = new DnssecClient(withSoa.resolver(), ResolverTrust.of(withSoa.resolver(), Set.of()));
            DnssecClient uncached = new DnssecClient(withoutSoa.resolver(), ResolverTrust.of(withoutSoa.resolver(), Set.of()));

            for (int i = 0; i < 3; i++) {
                assertThat(cached.addresses("v4only.test").get(10, TimeUnit.SECONDS).records()).hasSize(1);
                assertThat(uncached.addresses("v4only.test").get(10, TimeUnit.SECONDS).records()).hasSize(1);
            }

            // RFC 2308 §5: the NODATA of AAAA carries the zone's SOA, so it is asked once; without it, each time.
            assertThat(withSoa.queries("v4only.test", Type.AAAA)).isEqualTo(1);
            assertThat(withoutSoa.queries("v4only.test", Type.AAAA)).isEqualTo(3);
        }
    }
}

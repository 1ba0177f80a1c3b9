package io.github.jamesmtasts.benchmarks.dane;

import io.github.jamesmtasts.dane.DaneVerifier;
import io.github.jamesmtasts.dane.HostTlsa;
import io.github.jamesmtasts.dane.TlsaRecord;
import io.github.jamesmtasts.delivery.DaneState;
import io.github.jamesmtasts.delivery.MxDirectory;
import io.github.jamesmtasts.dns.DnsAnswer;
import io.github.jamesmtasts.dns.MxHost;
import io.github.jamesmtasts.testkit.TestCa;
import io.github.jamesmtasts.tls.RejectedCertificateException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TLSARecord;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What DANE adds to a delivery once DNS answers are cached (the resolver on loopback has them): the DANE state of
 * an MX host from a secure TLSA answer (parsing the records, usability), and the check of the server's chain
 * against them, DANE-EE (one digest) and DANE-TA (digests along the chain, a PKIX path to the anchor, the names).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class DaneDecisionBenchmark {
    private static final String HOST = "mx.dane.example";

    private MxDirectory directory;
    private DnsAnswer<InetAddress> addresses;
    private X509Certificate[] eeChain;
    private X509Certificate[] taChain;
    private DaneVerifier ee;
    private DaneVerifier ta;

    @Setup
    public void setUp() throws Exception {
        TestCa ca = TestCa.create("benchmark CA");
        List<X509Certificate> chain = ca.issue(HOST).chain();
        eeChain = chain.toArray(new X509Certificate[0]);
        taChain = eeChain;
        TlsaRecord eeRecord = TlsaRecord.daneEe(chain.get(0));
        TlsaRecord taRecord = TlsaRecord.forCertificate(TlsaRecord.DANE_TA, TlsaRecord.SPKI, TlsaRecord.SHA2_256, ca.certificate());
        ee = new DaneVerifier(HostTlsa.of(HOST, HOST, List.of(eeRecord)));
        ta = new DaneVerifier(HostTlsa.of(HOST, HOST, List.of(taRecord)));
        String owner = HostTlsa.ownerName(HOST, 25);
        DnsAnswer<TLSARecord> tlsa = DnsAnswer.found(List.of(new TLSARecord(Name.fromString(owner + "."), DClass.IN, 300,
            eeRecord.usage(), eeRecord.selector(), eeRecord.matchingType(), eeRecord.data()))).secured(DnsAnswer.Dnssec.SECURE, owner);
        addresses = DnsAnswer.found(List.of(InetAddress.getByName("192.0.2.25"))).secured(DnsAnswer.Dnssec.SECURE, HOST);
        CompletableFuture<DnsAnswer<TLSARecord>> cached = CompletableFuture.completedFuture(tlsa);
        directory = new MxDirectory() {
            @Override
            public CompletableFuture<DnsAnswer<MxHost>> mx(String domain) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletableFuture<DnsAnswer<InetAddress>> addresses(String host) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletableFuture<DnsAnswer<TLSARecord>> tlsa(String name) {
                return cached;
            }
        };
    }

    @Benchmark
    public DaneState stateFromCachedAnswers() {
        return DaneState.of(directory, HOST, addresses).join();
    }

    @Benchmark
    public DaneVerifier daneEeCheck() throws RejectedCertificateException {
        ee.verify(eeChain);
        return ee;
    }

    @Benchmark
    public DaneVerifier daneTaCheck() throws RejectedCertificateException {
        ta.verify(taChain);
        return ta;
    }
}

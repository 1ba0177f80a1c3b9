package io.github.jamesmtasts.publishing;

import io.github.jamesmtasts.dns.HostNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The server certificates of the policy hosts, from a directory in certbot's layout: one subdirectory per
 * certificate, each with {@code fullchain.pem} (leaf first) and {@code privkey.pem} (see {@link PemFiles} for
 * the key formats), as in {@code /etc/letsencrypt/live}; acme.sh's {@code fullchain.cer} and {@code <name>.key},
 * or {@code cert.pem} and {@code key.pem}, where certbot's are absent. Each certificate serves the DNS names of its
 * subjectAltName, wildcards ({@code *.example.com}) included; the first subdirectory by name serves clients
 * that send no SNI, or a name no certificate has.
 *
 * <p>{@link #reloadIfChanged()} reads again the subdirectories whose files changed (size, modification time or
 * file, as certbot's renewal replaces its symbolic links). A subdirectory that cannot be used (a missing or
 * broken file, a key that is not the certificate's) is logged and skipped; if it served before, its previous
 * certificate stays. Thread-safe: lookups see one consistent set while a reload builds the next.
 */
public final class CertificateDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateDirectory.class);
    /** The chain's file in a subdirectory, first found: certbot's, acme.sh's, a plain leaf with its chain inside. */
    private static final List<String> CHAIN_FILES = List.of("fullchain.pem", "fullchain.cer", "cert.pem");
    /** The key's file: certbot's, then {@code <name>.key} (acme.sh), then {@code key.pem}. */
    private static final List<String> KEY_FILES = List.of("privkey.pem", "%s.key", "key.pem");
    private static final int DNS_NAME = 2;
    private static final String WILDCARD = "*.";
    private static final String[] TLS_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final Path directory;
    private volatile Snapshot snapshot = new Snapshot(Map.of());

    private CertificateDirectory(Path directory) {
        this.directory = directory;
    }

    /**
     * Loads every usable certificate of {@code directory}.
     *
     * @throws UncheckedIOException if the directory itself cannot be listed
     */
    public static CertificateDirectory load(Path directory) {
        CertificateDirectory certificates = new CertificateDirectory(Objects.requireNonNull(directory, "directory"));
        try {
            certificates.reload();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the certificate directory " + directory, e);
        }
        return certificates;
    }

    /**
     * Reads again what changed on disk since the last load.
     *
     * @return whether the certificates served changed
     */
    public boolean reloadIfChanged() {
        try {
            return reload();
        } catch (IOException e) {
            LOG.warn("Cannot list the certificate directory {}: keeping the certificates loaded before", directory, e);
            return false;
        }
    }

    /**
     * The TLS context for a host a client names by SNI: the certificate naming it exactly, else one whose
     * wildcard covers its leftmost label (RFC 6125 §6.4.3); empty if none does.
     */
    public Optional<SslContext> contextFor(String sniHost) {
        return snapshot.lookup(HostNames.normalize(sniHost));
    }

    /** The TLS context for clients without SNI: the first subdirectory's; empty if none is usable. */
    public Optional<SslContext> defaultContext() {
        return snapshot.first();
    }

    private synchronized boolean reload() throws IOException {
        Map<String, Entry> before = snapshot.entries;
        Map<String, Entry> after = new TreeMap<>();
        try (DirectoryStream<Path> subdirectories = Files.newDirectoryStream(directory, Files::isDirectory)) {
            for (Path subdirectory : subdirectories) {
                String name = subdirectory.getFileName().toString();
                Entry previous = before.get(name);
                Optional<Entry> current = read(subdirectory, previous);
                if (current.isPresent()) {
                    after.put(name, current.get());
                } else if (previous != null) {
                    after.put(name, previous);
                }
            }
        }
        boolean changed = !after.equals(before);
        if (changed) {
            snapshot = new Snapshot(after);
        }
        return changed;
    }

    /** The subdirectory's certificate: the previous one if its files did not change; empty if it is unusable. */
    private static Optional<Entry> read(Path subdirectory, Entry previous) {
        String name = subdirectory.getFileName().toString();
        Path chainFile = firstExisting(subdirectory, CHAIN_FILES, name);
        Path keyFile = firstExisting(subdirectory, KEY_FILES, name);
        try {
            List<Object> stamp = List.of(stamp(chainFile), stamp(keyFile));
            if (previous != null && previous.stamp.equals(stamp)) {
                return Optional.of(previous);
            }
            List<X509Certificate> chain = PemFiles.certificates(chainFile);
            PrivateKey key = PemFiles.privateKey(keyFile);
            checkPair(key, chain.get(0).getPublicKey(), keyFile);
            List<String> names = dnsNames(chain.get(0), chainFile);
            SslContext context = SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]))
                .protocols(TLS_PROTOCOLS)
                .build();
            LOG.info("Serving the certificate of {} for {} (serial {})", subdirectory, names,
                chain.get(0).getSerialNumber().toString(16));
            return Optional.of(new Entry(stamp, names, context));
        } catch (UnusableCertificateException e) {
            warn(subdirectory, previous, e.getMessage());
        } catch (IOException e) {
            warn(subdirectory, previous, subdirectory + ": " + e);
        }
        return Optional.empty();
    }

    /** The first of {@code names} ({@code %s} standing for the subdirectory's name) that exists, else the first. */
    private static Path firstExisting(Path subdirectory, List<String> names, String name) {
        return names.stream().map(file -> subdirectory.resolve(String.format(file, name))).filter(Files::isRegularFile)
            .findFirst().orElse(subdirectory.resolve(names.get(0)));
    }

    private static void warn(Path subdirectory, Entry previous, String problem) {
        if (previous == null) {
            LOG.error("Skipping the certificate in {}: {}", subdirectory, problem);
        } else {
            LOG.warn("Keeping the certificate served before from {}: {}", subdirectory, problem);
        }
    }

    /** What tells a changed file: its identity (a replaced file or link target), size and modification time. */
    private static Object stamp(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return List.of(String.valueOf(attributes.fileKey()), attributes.size(), attributes.lastModifiedTime());
    }

    /** A renewal caught between its two files pairs a new certificate with the old key: that cannot be served. */
    private static void checkPair(PrivateKey key, PublicKey certified, Path keyFile) throws UnusableCertificateException {
        String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(challenge);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException notAPair) {
            LOG.debug("The key of {} does not sign for its certificate", keyFile, notAPair);
        }
        throw new UnusableCertificateException(keyFile, "not the key of the certificate beside it");
    }

    private static List<String> dnsNames(X509Certificate leaf, Path chainFile) throws UnusableCertificateException {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> altNames = leaf.getSubjectAlternativeNames();
            for (List<?> altName : altNames == null ? List.<List<?>>of() : altNames) {
                if (Integer.valueOf(DNS_NAME).equals(altName.get(0))) {
                    names.add(HostNames.normalize((String) altName.get(1)));
                }
            }
        } catch (CertificateParsingException e) {
            throw new UnusableCertificateException(chainFile, "unreadable subjectAltName", e);
        }
        if (names.isEmpty()) {
            throw new UnusableCertificateException(chainFile, "the certificate names no DNS name in its subjectAltName");
        }
        return names;
    }

    /** One subdirectory's certificate, with the stamp of the files it was read from. */
    private static final class Entry {
        private final List<Object> stamp;
        private final List<String> names;
        private final SslContext context;

        Entry(List<Object> stamp, List<String> names, SslContext context) {
            this.stamp = stamp;
            this.names = List.copyOf(names);
            this.context = context;
        }
    }

    /** The certificates served at one time, indexed by name. */
    private static final class Snapshot {
        private final Map<String, Entry> entries;
        private final Map<String, SslContext> exact = new HashMap<>();
        private final Map<String, SslContext> wildcards = new HashMap<>();

        Snapshot(Map<String, Entry> entries) {
            this.entries = new LinkedHashMap<>(entries);
            for (Entry entry : entries.values()) {
                for (String name : entry.names) {
                    if (name.startsWith(WILDCARD)) {
                        wildcards.putIfAbsent(name.substring(WILDCARD.length()), entry.context);
                    } else {
                        exact.putIfAbsent(name, entry.context);
                    }
                }
            }
        }

        Optional<SslContext> lookup(String host) {
            SslContext context = exact.get(host);
            int dot = host.indexOf('.');
            if (context == null && dot > 0) {
                context = wildcards.get(host.substring(dot + 1));
            }
            return Optional.ofNullable(context);
        }

        Optional<SslContext> first() {
            return entries.values().stream().findFirst().map(entry -> entry.context);
        }
    }
}

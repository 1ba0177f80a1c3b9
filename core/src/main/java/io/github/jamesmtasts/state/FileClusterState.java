package io.github.jamesmtasts.state;

import io.github.jamesmtasts.delivery.DaneMode;
import io.github.jamesmtasts.delivery.DomainOverride;
import io.github.jamesmtasts.delivery.EnforcementMode;
import io.github.jamesmtasts.dns.HostNames;
import io.github.jamesmtasts.files.AtomicFiles;
import io.github.jamesmtasts.files.DomainFileNames;
import io.github.jamesmtasts.files.Sha256;
import io.github.jamesmtasts.policy.CachedPolicy;
import io.github.jamesmtasts.policy.FilePolicyStore;
import io.github.jamesmtasts.tlsrpt.counting.FileResultStore;
import io.github.jamesmtasts.tlsrpt.counting.PeriodCounts;
import io.github.jamesmtasts.tlsrpt.counting.ReportPeriod;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The {@link ClusterState} of one James server (or of several sharing a directory on one machine), in files under a
 * directory: {@code enforcement.json} ({@link EnforcementJson}, the file James's {@code var/mta-sts/} has always had),
 * {@code counts/<node>/} with a {@link FileResultStore} per node, {@code claims/<start>-<seconds>/<domain>.<n>.claim}
 * holding the node that claimed a report and the end of its lease, {@code shared-policies/} and {@code delivery-claims/}. Every file is replaced atomically ({@link AtomicFiles}); a
 * claim file is made by a hard link, which fails when the file exists, so two claimers never both win.
 */
public final class FileClusterState implements ClusterState {
    private static final String CLAIM_SUFFIX = ".claim";
    static final int DELIVERY_CLAIM_RETENTION_DAYS = 30;
    private static final Duration DELIVERY_CLAIM_REMOVAL_INTERVAL = Duration.ofHours(1);

    private final Path enforcementFile;
    private final Path countsDirectory;
    private final Path claimsDirectory;
    private final Path deliveryClaimsDirectory;
    private final AtomicReference<Instant> deliveryClaimsRemoved = new AtomicReference<>(Instant.EPOCH);
    private final Clock clock;
    private final ConcurrentMap<String, FileResultStore> stores = new ConcurrentHashMap<>();
    private final FilePolicyStore policies;

    /** The state under {@code directory}, which is created if missing. */
    public FileClusterState(Path directory, Clock clock) throws IOException {
        this(directory, directory, clock);
    }

    /**
     * {@code enforcement.json} in {@code enforcementDirectory}, the counts and claims of TLS-RPT under
     * {@code tlsRptDirectory}; both are created if missing.
     */
    public FileClusterState(Path enforcementDirectory, Path tlsRptDirectory, Clock clock) throws IOException {
        this.enforcementFile = Files.createDirectories(Objects.requireNonNull(enforcementDirectory, "enforcementDirectory"))
            .resolve("enforcement.json");
        Path tlsRpt = Files.createDirectories(Objects.requireNonNull(tlsRptDirectory, "tlsRptDirectory"));
        this.countsDirectory = Files.createDirectories(tlsRpt.resolve("counts"));
        this.claimsDirectory = Files.createDirectories(tlsRpt.resolve("claims"));
        this.policies = new FilePolicyStore(enforcementFile.getParent().resolve("shared-policies"));
        this.deliveryClaimsDirectory = Files.createDirectories(enforcementFile.getParent().resolve("delivery-claims"));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized EnforcementState enforcement() throws IOException {
        return readEnforcement().activeAt(clock.instant());
    }

    @Override
    public void setGlobal(EnforcementMode mode) throws IOException {
        changeEnforcement(state -> state.withGlobal(mode));
    }

    @Override
    public void setDane(DaneMode mode) throws IOException {
        changeEnforcement(state -> state.withDane(mode));
    }

    @Override
    public void putOverride(String domain, DomainOverride override) throws IOException {
        changeEnforcement(state -> state.withOverride(domain, override));
    }

    @Override
    public synchronized boolean removeOverride(String domain) throws IOException {
        boolean present = enforcement().overrides().containsKey(HostNames.normalize(domain));
        changeEnforcement(state -> state.withoutOverride(domain));
        return present;
    }

    @Override
    public void publishCounts(NodeName node, PeriodCounts totals) throws IOException {
        store(node.value()).replace(totals);
    }

    @Override
    public PeriodCounts counts(ReportPeriod period) throws IOException {
        PeriodCounts sum = PeriodCounts.empty(period);
        for (FileResultStore store : allStores()) {
            sum = sum.plus(store.load(period));
        }
        return sum;
    }

    @Override
    public PeriodCounts countsOf(NodeName node, ReportPeriod period) throws IOException {
        return store(node.value()).load(period);
    }

    @Override
    public List<ReportPeriod> periods() throws IOException {
        TreeSet<ReportPeriod> periods = new TreeSet<>();
        for (FileResultStore store : allStores()) {
            periods.addAll(store.periods());
        }
        return List.copyOf(periods);
    }

    @Override
    public void forgetCounts(ReportPeriod period, String policyDomain) throws IOException {
        for (FileResultStore store : allStores()) {
            store.remove(period, policyDomain);
        }
    }

    /** A report claim is the leased claim {@code claims/<start>-<seconds>/<domain>.<n>.claim}. */
    @Override
    public boolean claimReport(ReportPeriod period, String policyDomain, NodeName node, Duration lease) throws IOException {
        Path directory = Files.createDirectories(
            claimsDirectory.resolve(period.start().getEpochSecond() + "-" + period.length().getSeconds()));
        String name = DomainFileNames.resolve(directory, HostNames.normalize(policyDomain), "").getFileName().toString();
        return leasedClaim(directory, name, node, lease, clock.instant());
    }

    /**
     * A delivery claim is the leased claim {@code delivery-claims/<sha-256 of the key>-<due>.<n>.claim}. Claims made
     * more than {@value #DELIVERY_CLAIM_RETENTION_DAYS} days ago are removed (no mail waits that long on one attempt).
     */
    @Override
    public boolean claimDelivery(String mailKey, Instant due, NodeName node, Duration lease) throws IOException {
        Instant now = clock.instant();
        removeOldDeliveryClaims(now);
        return leasedClaim(deliveryClaimsDirectory, Sha256.hex(mailKey.getBytes(StandardCharsets.UTF_8)) + "-" + due.toEpochMilli(),
            node, lease, now);
    }

    /**
     * The claim {@code <name>.<n>.claim} in {@code directory}, holding the node and the end of its lease. Claim
     * {@code n + 1} can only be made once claim {@code n} has outlived its lease: of the nodes that find it so, the one
     * whose link is made first wins.
     */
    private static boolean leasedClaim(Path directory, String name, NodeName node, Duration lease, Instant now) throws IOException {
        int generation = 0;
        while (Files.exists(directory.resolve(name + "." + (generation + 1) + CLAIM_SUFFIX))) {
            generation++;
        }
        while (true) {
            Path claim = directory.resolve(name + "." + generation + CLAIM_SUFFIX);
            if (create(claim, node.value() + "\n" + now.plus(lease).toEpochMilli())) {
                return true;
            }
            String[] holder = Files.readString(claim, StandardCharsets.UTF_8).split("\n", 2);
            if (holder[0].equals(node.value())) {
                return true;
            }
            if (Instant.ofEpochMilli(Long.parseLong(holder[1].trim())).isAfter(now)) {
                return false;
            }
            generation++;
        }
    }

    /** Makes {@code claim} with {@code content}, unless it exists: by a hard link, which fails when it does. */
    private static boolean create(Path claim, String content) throws IOException {
        Path directory = claim.getParent();
        Path mine = Files.createTempFile(directory, claim.getFileName().toString() + ".", AtomicFiles.TEMPORARY_SUFFIX);
        try {
            Files.writeString(mine, content, StandardCharsets.UTF_8);
            Files.createLink(claim, mine);
            AtomicFiles.forceDirectory(directory);
            return true;
        } catch (FileAlreadyExistsException taken) {
            return false;
        } finally {
            Files.deleteIfExists(mine);
        }
    }

    private void removeOldDeliveryClaims(Instant now) throws IOException {
        Instant lastRemoval = deliveryClaimsRemoved.get();
        if (lastRemoval.plus(DELIVERY_CLAIM_REMOVAL_INTERVAL).isAfter(now) || !deliveryClaimsRemoved.compareAndSet(lastRemoval, now)) {
            return;
        }
        Instant oldest = now.minus(Duration.ofDays(DELIVERY_CLAIM_RETENTION_DAYS));
        try (DirectoryStream<Path> claims = Files.newDirectoryStream(deliveryClaimsDirectory, "*" + CLAIM_SUFFIX)) {
            for (Path claim : claims) {
                if (Files.getLastModifiedTime(claim).toInstant().isBefore(oldest)) {
                    Files.deleteIfExists(claim);
                }
            }
        } catch (NoSuchFileException gone) {
            // Removed meanwhile by another node.
        }
    }


    private synchronized void changeEnforcement(UnaryOperator<EnforcementState> change) throws IOException {
        AtomicFiles.replace(enforcementFile, EnforcementJson.write(change.apply(readEnforcement())));
    }

    private EnforcementState readEnforcement() throws IOException {
        try {
            return EnforcementJson.read(Files.readAllBytes(enforcementFile));
        } catch (NoSuchFileException none) {
            return EnforcementState.empty();
        }
    }

    private List<FileResultStore> allStores() throws IOException {
        List<FileResultStore> all = new ArrayList<>();
        try (DirectoryStream<Path> nodes = Files.newDirectoryStream(countsDirectory, Files::isDirectory)) {
            for (Path node : nodes) {
                all.add(store(node.getFileName().toString()));
            }
        }
        return all;
    }

    private FileResultStore store(String node) throws IOException {
        FileResultStore store = stores.get(node);
        if (store == null) {
            store = new FileResultStore(countsDirectory.resolve(node));
            FileResultStore raced = stores.putIfAbsent(node, store);
            return raced == null ? store : raced;
        }
        return store;
    }

    @Override
    public String toString() {
        return "FileClusterState " + enforcementFile.getParent();
    }

    @Override
    public synchronized void offerPolicy(CachedPolicy policy) {
        Optional<CachedPolicy> stored = policies.load(policy.domain());
        if (stored.isEmpty() || policy.fetched().isAfter(stored.get().fetched())) {
            policies.save(policy);
        }
    }

    @Override
    public synchronized List<CachedPolicy> policies() {
        Instant now = clock.instant();
        return policies.readAll().stream().filter(policy -> policy.isValidAt(now)).collect(Collectors.toList());
    }
}

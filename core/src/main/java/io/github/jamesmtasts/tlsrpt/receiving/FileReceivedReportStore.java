package io.github.jamesmtasts.tlsrpt.receiving;

import io.github.jamesmtasts.files.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The embedded {@link ReceivedReportStore}: one file per report in a directory (under James's {@code var/}), holding
 * the JSON the report was read from, named by the SHA-256 of its report-id. At start the directory is read back
 * into an index of report-id, policy domains and day; a query reads the files it needs.
 *
 * <p>A report is written as {@code FileResultStore} writes counts: to a temporary file, forced to disk, moved to
 * its name, and the directory forced too, so a crash leaves the whole report or none. One lock guards the index
 * and the files, so of two adds of one report-id, at once or not, exactly one keeps it; the directory belongs to
 * one James.
 *
 * <p>The store holds at most {@code maxReports} reports and {@code maxBytes} bytes of JSON; past that, {@link #add}
 * refuses ({@link StoreFullException}) rather than fill the disk, until {@link #removeStartedBefore} makes room.
 */
public final class FileReceivedReportStore implements ReceivedReportStore {
    private static final Logger LOGGER = LoggerFactory.getLogger(FileReceivedReportStore.class);
    public static final int DEFAULT_MAX_REPORTS = 100_000;
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
    private static final String SUFFIX = ".json";
    private static final String TEMPORARY_SUFFIX = ".tmp";
    private static final Comparator<Entry> ORDER = Comparator.comparing((Entry entry) -> entry.start)
        .thenComparing(entry -> entry.reportId);

    private final Path directory;
    private final int maxReports;
    private final long maxBytes;
    private final Map<String, Entry> byReportId = new HashMap<>();
    private long bytes;

    /** What the index knows of a kept report: enough to find it; its file has the rest. */
    private static final class Entry {
        private final String reportId;
        private final Instant start;
        private final LocalDate day;
        private final Set<String> domains;
        private final long size;

        Entry(ReceivedReport report, long size) {
            this.reportId = report.reportId();
            this.start = report.start();
            this.day = report.startDayUtc();
            this.domains = report.policyDomains();
            this.size = size;
        }
    }

    public FileReceivedReportStore(Path directory) throws IOException {
        this(directory, DEFAULT_MAX_REPORTS, DEFAULT_MAX_BYTES);
    }

    /** A store in {@code directory}, created if missing, with the reports already in it. */
    public FileReceivedReportStore(Path directory, int maxReports, long maxBytes) throws IOException {
        if (maxReports <= 0 || maxBytes <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + maxReports + " reports, " + maxBytes + " bytes");
        }
        this.directory = Files.createDirectories(Objects.requireNonNull(directory, "directory"));
        this.maxReports = maxReports;
        this.maxBytes = maxBytes;
        load();
    }

    @Override
    public synchronized boolean add(ReceivedReport report, byte[] json) throws IOException {
        // RFC 8460 §4.4: the report-id is unique, so a second report of one id is the first one sent again.
        if (byReportId.containsKey(report.reportId())) {
            return false;
        }
        if (byReportId.size() >= maxReports || bytes + json.length > maxBytes) {
            throw new StoreFullException("holding " + byReportId.size() + " reports of " + bytes + " bytes; at most "
                + maxReports + " reports, " + maxBytes + " bytes");
        }
        write(file(report.reportId()), json);
        byReportId.put(report.reportId(), new Entry(report, json.length));
        bytes += json.length;
        return true;
    }

    @Override
    public synchronized List<ReceivedReport> reports(String policyDomain, LocalDate fromUtc, LocalDate toUtc) throws IOException {
        String domain = ReceivedPolicy.normalize(policyDomain);
        List<Entry> found = new ArrayList<>();
        for (Entry entry : byReportId.values()) {
            if (entry.domains.contains(domain) && !entry.day.isBefore(fromUtc) && !entry.day.isAfter(toUtc)) {
                found.add(entry);
            }
        }
        found.sort(ORDER);
        List<ReceivedReport> reports = new ArrayList<>(found.size());
        for (Entry entry : found) {
            reports.add(read(file(entry.reportId)).orElseThrow(() -> new IOException("lost " + entry.reportId)));
        }
        return reports;
    }

    @Override
    public synchronized Optional<byte[]> raw(String reportId) throws IOException {
        return byReportId.containsKey(reportId) ? Optional.of(Files.readAllBytes(file(reportId))) : Optional.empty();
    }

    /** Removes the reports whose range starts before {@code firstKeptUtcDay}; how many were removed. */
    public synchronized int removeStartedBefore(LocalDate firstKeptUtcDay) throws IOException {
        int removed = 0;
        for (Iterator<Entry> entries = byReportId.values().iterator(); entries.hasNext(); ) {
            Entry entry = entries.next();
            if (entry.day.isBefore(firstKeptUtcDay)) {
                Files.deleteIfExists(file(entry.reportId));
                entries.remove();
                bytes -= entry.size;
                removed++;
            }
        }
        if (removed > 0) {
            forceDirectory();
        }
        return removed;
    }

    /** How many reports are kept. */
    public synchronized int size() {
        return byReportId.size();
    }

    /** How many bytes of JSON are kept. */
    public synchronized long bytes() {
        return bytes;
    }

    private void load() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(TEMPORARY_SUFFIX)) {
                    // A write a crash interrupted: its report was never added, so its sender was never told it was.
                    Files.delete(file);
                } else if (name.endsWith(SUFFIX)) {
                    Optional<ReceivedReport> report = read(file);
                    if (report.isPresent() && file.equals(file(report.get().reportId()))) {
                        byReportId.put(report.get().reportId(), new Entry(report.get(), Files.size(file)));
                        bytes += Files.size(file);
                    } else {
                        Path aside = file.resolveSibling(name + ".corrupt-" + System.currentTimeMillis());
                        Files.move(file, aside);
                        LOGGER.error("received TLS-RPT report {} is unreadable or misnamed; moved to {}", file, aside);
                    }
                }
            }
        }
        LOGGER.info("{} received TLS-RPT reports, {} bytes, in {}", byReportId.size(), bytes, directory);
    }

    private static Optional<ReceivedReport> read(Path file) throws IOException {
        try {
            return ReportParser.parse(Files.readAllBytes(file)).report();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private Path file(String reportId) {
        return directory.resolve(Sha256.hex(reportId.getBytes(StandardCharsets.UTF_8)) + SUFFIX);
    }

    private void write(Path target, byte[] json) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + TEMPORARY_SUFFIX);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(json);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        forceDirectory();
    }

    /** Makes the rename or deletion itself durable (POSIX); where a directory cannot be opened, the move is all. */
    private void forceDirectory() {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOGGER.debug("cannot force directory {} on this platform: {}", directory, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "FileReceivedReportStore " + directory;
    }
}

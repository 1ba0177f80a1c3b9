package io.github.jamesmtasts.tlsrpt.counting;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jamesmtasts.files.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded {@link ResultStore}: one JSON file per period in a directory (under James's
 * {@code var/}), holding the period's totals in the {@code policies} form of RFC 8460 §4.4.
 *
 * <p>Every change rewrites the period's file atomically: the new content goes to a temporary file,
 * which is forced to disk and then moved over the old one, and the directory is forced too. A reader
 * (James after a crash or a stop) therefore finds either the old or the new totals, never a torn
 * file. Totals rather than a journal keep the file as small as the report itself, however many
 * sessions were counted: the {@link ResultAggregator} writes additions every few seconds, not every
 * session.
 */
public final class FileResultStore implements ResultStore {
    private static final Logger LOGGER = LoggerFactory.getLogger(FileResultStore.class);
    private static final Pattern FILE_NAME = Pattern.compile("(\\d+)-(\\d+)\\.json");

    private final Path directory;

    /** A store in {@code directory}, which is created if missing. */
    public FileResultStore(Path directory) throws IOException {
        this.directory = Files.createDirectories(Objects.requireNonNull(directory, "directory"));
    }

    @Override
    public synchronized void add(PeriodCounts addition) throws IOException {
        write(read(addition.period()).plus(addition));
    }

    /** Replaces the period's totals of the policy domains in {@code totals}; its other domains' stay as they are. */
    public synchronized void replace(PeriodCounts totals) throws IOException {
        PeriodCounts kept = read(totals.period());
        for (String domain : totals.policyDomains()) {
            kept = kept.withoutDomain(domain);
        }
        write(kept.plus(totals));
    }

    @Override
    public synchronized PeriodCounts load(ReportPeriod period) throws IOException {
        return read(period);
    }

    @Override
    public synchronized List<ReportPeriod> periods() throws IOException {
        List<ReportPeriod> periods = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                Matcher name = FILE_NAME.matcher(file.getFileName().toString());
                if (name.matches()) {
                    periods.add(ReportPeriod.of(Instant.ofEpochSecond(Long.parseLong(name.group(1))),
                        Duration.ofSeconds(Long.parseLong(name.group(2)))));
                }
            }
        }
        periods.sort(null);
        return periods;
    }

    @Override
    public synchronized void remove(ReportPeriod period, String policyDomain) throws IOException {
        write(read(period).withoutDomain(policyDomain));
    }

    private Path file(ReportPeriod period) {
        return directory.resolve(period.start().getEpochSecond() + "-" + period.length().getSeconds() + ".json");
    }

    private PeriodCounts read(ReportPeriod period) throws IOException {
        Path file = file(period);
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return PeriodCounts.empty(period);
        }
        try {
            return PeriodCounts.of(period, PolicyCountsJson.readPolicies(PolicyCountsJson.mapper().readTree(content).path("policies")));
        } catch (IOException corrupt) {
            // Not written by this class (atomic writes leave no torn file): keep it for a person, count afresh.
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
            Files.move(file, aside);
            LOGGER.error("TLS-RPT counts in {} are unreadable ({}); moved to {} and counting afresh", file, corrupt.getMessage(), aside);
            return PeriodCounts.empty(period);
        }
    }

    private void write(PeriodCounts counts) throws IOException {
        Path target = file(counts.period());
        if (counts.isEmpty()) {
            Files.deleteIfExists(target);
            AtomicFiles.forceDirectory(directory);
        } else {
            ObjectNode root = PolicyCountsJson.mapper().createObjectNode();
            root.put("start-datetime", DateTimeFormatter.ISO_INSTANT.format(counts.period().start()));
            root.put("end-datetime", DateTimeFormatter.ISO_INSTANT.format(counts.period().lastSecond()));
            root.set("policies", PolicyCountsJson.policies(counts.policies()));
            AtomicFiles.replace(target, PolicyCountsJson.mapper().writeValueAsBytes(root));
        }
    }

    @Override
    public String toString() {
        return "FileResultStore " + directory;
    }
}

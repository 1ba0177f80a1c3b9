package io.github.jamesmtasts.policy;

import io.github.jamesmtasts.files.AtomicFiles;
import io.github.jamesmtasts.files.DomainFileNames;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link PolicyStore} of one small JSON file per domain ({@code <domain>.json}) in a directory.
 * A file is replaced atomically: written to a temporary file in the same directory, forced to disk,
 * then moved over the old one, so a crash leaves the old policy or the new one, never half of one.
 * A file that cannot be read back (corrupt, from another version, edited by hand) is logged and
 * ignored.
 */
public final class FilePolicyStore implements PolicyStore {
    private static final Logger LOG = LoggerFactory.getLogger(FilePolicyStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUFFIX = ".json";

    private final Path directory;

    /**
     * A store in {@code directory}, created if missing.
     *
     * @throws UncheckedIOException if the directory cannot be created
     */
    public FilePolicyStore(Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the MTA-STS policy store " + directory, e);
        }
    }

    /** The stored policies; temporary files a crash left behind are removed (at start, when no one writes). */
    @Override
    public List<CachedPolicy> loadAll() {
        return list(true);
    }

    /** The stored policies, read while others may be writing: their temporary files are left alone. */
    public List<CachedPolicy> readAll() {
        return list(false);
    }

    private List<CachedPolicy> list(boolean removeTemporaryFiles) {
        List<CachedPolicy> policies = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(AtomicFiles.TEMPORARY_SUFFIX)) {
                    if (removeTemporaryFiles) {
                        deleteQuietly(file); // left by a crash before its move
                    }
                } else if (name.endsWith(SUFFIX)) {
                    read(file).ifPresent(policies::add);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list the MTA-STS policy store {}: no stored policies read", directory, e);
        }
        return policies;
    }

    @Override
    public void save(CachedPolicy policy) {
        Path target = fileOf(policy.domain());
        ObjectNode json = JSON.createObjectNode()
            .put("domain", policy.domain())
            .put("id", policy.id())
            .put("fetched", policy.fetched().toString())
            .put("policy", policy.policy().text());
        try {
            AtomicFiles.replace(target, JSON.writeValueAsBytes(json));
        } catch (IOException e) {
            LOG.warn("Cannot store the MTA-STS policy of {} in {}: it is cached in memory only", policy.domain(), directory, e);
        }
    }

    @Override
    public void remove(String domain) {
        deleteQuietly(fileOf(domain));
        AtomicFiles.forceDirectory(directory);
    }

    /** The stored policy of {@code domain}, if there is a readable one. */
    public Optional<CachedPolicy> load(String domain) {
        Path file = fileOf(domain);
        return Files.exists(file) ? read(file) : Optional.empty();
    }

    private Path fileOf(String domain) {
        return DomainFileNames.resolve(directory, domain, SUFFIX);
    }

    private Optional<CachedPolicy> read(Path file) {
        try {
            JsonNode json = JSON.readTree(file.toFile());
            String domain = json.path("domain").asText();
            if (!file.getFileName().toString().equals(domain + SUFFIX)) {
                throw new IOException("the file names another domain: " + domain);
            }
            return Optional.of(CachedPolicy.restore(domain, json.path("id").asText(), json.path("policy").asText(),
                Instant.parse(json.path("fetched").asText())));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Ignoring unreadable MTA-STS policy file {}: {}", file, e.toString());
            return Optional.empty();
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}", file, e);
        }
    }
}

package io.github.jamesmtasts.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jamesmtasts.check.ExpiryThreshold;
import io.github.jamesmtasts.check.Finding;
import io.github.jamesmtasts.files.AtomicFiles;
import io.github.jamesmtasts.files.DomainFileNames;
import io.github.jamesmtasts.result.ResultType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link WatchStore} of one JSON file per domain ({@code <domain>.json}) in a directory, each replaced
 * atomically ({@link AtomicFiles}), so a crash leaves the old state or the new one. A file that cannot be read back is logged and taken as no state: the next check
 * then alerts about every bad finding once more, which is better than never.
 */
public final class FileWatchStore implements WatchStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileWatchStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUFFIX = ".json";

    private final Path directory;

    /**
     * A store in {@code directory}, created if missing.
     *
     * @throws UncheckedIOException if the directory cannot be created
     */
    public FileWatchStore(Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the MTA-STS watch store " + directory, e);
        }
    }

    @Override
    public Optional<DomainState> load(String domain) {
        Path file = fileOf(domain);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode json = JSON.readTree(file.toFile());
            if (!domain.equals(json.path("domain").asText())) {
                throw new IOException("the file names another domain: " + json.path("domain").asText());
            }
            List<Finding> findings = new ArrayList<>();
            for (JsonNode node : json.path("findings")) {
                findings.add(finding(node));
            }
            return Optional.of(DomainState.of(domain, Instant.parse(json.path("checked").asText()), findings));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Ignoring unreadable MTA-STS watch file {}: {}", file, e.toString());
            return Optional.empty();
        }
    }

    /** @throws UncheckedIOException if the state cannot be written; the old one, if any, is left as it was */
    @Override
    public void save(DomainState state) {
        ObjectNode json = JSON.createObjectNode().put("domain", state.domain()).put("checked", state.checked().toString());
        ArrayNode findings = json.putArray("findings");
        for (Finding finding : state.findings()) {
            ObjectNode node = findings.addObject()
                .put("step", finding.step())
                .put("subject", finding.subject())
                .put("status", finding.status().name())
                .put("kind", finding.kind())
                .put("message", finding.message());
            finding.resultType().ifPresent(type -> node.put("resultType", type.code()));
            finding.expiry().ifPresent(threshold -> node.put("expiry", threshold.name()));
        }
        try {
            AtomicFiles.replace(fileOf(state.domain()), JSON.writeValueAsBytes(json));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the MTA-STS watch state of " + state.domain() + " in " + directory, e);
        }
    }

    private static Finding finding(JsonNode node) throws IOException {
        Optional<ResultType> type = node.has("resultType") ? ResultType.fromCode(node.get("resultType").asText()) : Optional.empty();
        if (node.has("resultType") && type.isEmpty()) {
            throw new IOException("unknown result type " + node.get("resultType"));
        }
        return Finding.restore(text(node, "step"), text(node, "subject"), Finding.Status.valueOf(text(node, "status")),
            text(node, "kind"), text(node, "message"), type,
            node.has("expiry") ? Optional.of(ExpiryThreshold.valueOf(node.get("expiry").asText())) : Optional.empty());
    }

    private static String text(JsonNode node, String field) throws IOException {
        if (!node.path(field).isTextual()) {
            throw new IOException("no " + field + " in " + node);
        }
        return node.get(field).asText();
    }

    private Path fileOf(String domain) {
        return DomainFileNames.resolve(directory, domain, SUFFIX);
    }

}

package io.github.jamesmtasts.james;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jamesmtasts.delivery.DaneMode;
import io.github.jamesmtasts.delivery.DomainOverride;
import io.github.jamesmtasts.delivery.Enforcement;
import io.github.jamesmtasts.delivery.EnforcementMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Where the admin's MTA-STS switch outlives a restart: the global mode and the per-domain overrides set
 * through WebAdmin, as one small JSON file under James's {@code var/}, replaced atomically on each change
 * (a temporary file moved over the old one), so a crash leaves the old state or the new one, never half.
 */
public final class EnforcementFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public EnforcementFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    /** Applies what the file holds, if it exists, to {@code enforcement}. */
    public void loadInto(Enforcement enforcement) {
        if (!Files.exists(file)) {
            return;
        }
        try {
            JsonNode saved = JSON.readTree(file.toFile());
            Optional.ofNullable(saved.get("global")).map(JsonNode::asText).flatMap(EnforcementMode::fromKeyword)
                .ifPresent(enforcement::setGlobal);
            Optional.ofNullable(saved.get("dane")).map(JsonNode::asText).flatMap(DaneMode::fromKeyword)
                .ifPresent(enforcement::setDane);
            JsonNode overrides = saved.path("overrides");
            for (Iterator<Map.Entry<String, JsonNode>> it = overrides.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                Optional<EnforcementMode> mode = DomainOverride.modeFromKeyword(entry.getValue().path("mode").asText());
                Optional<DaneMode> dane = DaneMode.fromKeyword(entry.getValue().path("dane").asText());
                Optional<Instant> expires = Optional.ofNullable(entry.getValue().get("expires")).map(JsonNode::asText).map(Instant::parse);
                if (mode.isPresent() || dane.isPresent()) {
                    enforcement.override(entry.getKey(), DomainOverride.of(mode, dane, expires));
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the saved MTA-STS enforcement " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes the switch and the overrides in force. */
    public synchronized void save(Enforcement enforcement) {
        ObjectNode saved = JSON.createObjectNode();
        saved.put("global", enforcement.global().keyword());
        saved.put("dane", enforcement.dane().keyword());
        ObjectNode overrides = saved.putObject("overrides");
        enforcement.overrides().forEach((domain, override) -> {
            ObjectNode entry = overrides.putObject(domain);
            override.keyword().ifPresent(keyword -> entry.put("mode", keyword));
            override.dane().ifPresent(dane -> entry.put("dane", dane.keyword()));
            override.expires().ifPresent(expires -> entry.put("expires", expires.toString()));
        });
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), saved);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the MTA-STS enforcement to " + file, e);
        }
    }
}

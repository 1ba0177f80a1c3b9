package io.github.jamesmtasts.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jamesmtasts.delivery.DaneMode;
import io.github.jamesmtasts.delivery.DomainOverride;
import io.github.jamesmtasts.delivery.EnforcementMode;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON form of an {@link EnforcementState}, the one {@code enforcement.json} under James's {@code var/} has always
 * had: {@code {"global": "enforce", "dane": "on", "overrides": {"example.com": {"mode": "testing", "dane": "off",
 * "expires": "2025-01-01T00:00:00Z"}}}}, every member optional. An override with neither a known mode nor a known
 * DANE mode is skipped.
 */
public final class EnforcementJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EnforcementJson() {
    }

    /** @throws IOException if {@code content} is not such JSON */
    public static EnforcementState read(byte[] content) throws IOException {
        try {
            return read(JSON.readTree(content));
        } catch (DateTimeException | IllegalArgumentException e) {
            throw new IOException("not an MTA-STS enforcement: " + e.getMessage(), e);
        }
    }

    private static EnforcementState read(JsonNode saved) {
        EnforcementState state = EnforcementState.empty();
        Optional<EnforcementMode> global = text(saved, "global").flatMap(EnforcementMode::fromKeyword);
        if (global.isPresent()) {
            state = state.withGlobal(global.get());
        }
        Optional<DaneMode> dane = text(saved, "dane").flatMap(DaneMode::fromKeyword);
        if (dane.isPresent()) {
            state = state.withDane(dane.get());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = saved.path("overrides").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            Optional<EnforcementMode> mode = text(entry.getValue(), "mode").flatMap(DomainOverride::modeFromKeyword);
            Optional<DaneMode> overrideDane = text(entry.getValue(), "dane").flatMap(DaneMode::fromKeyword);
            if (mode.isPresent() || overrideDane.isPresent()) {
                state = state.withOverride(entry.getKey(),
                    DomainOverride.of(mode, overrideDane, text(entry.getValue(), "expires").map(Instant::parse)));
            }
        }
        return state;
    }

    public static byte[] write(EnforcementState state) throws IOException {
        ObjectNode saved = JSON.createObjectNode();
        state.global().ifPresent(mode -> saved.put("global", mode.keyword()));
        state.dane().ifPresent(mode -> saved.put("dane", mode.keyword()));
        ObjectNode overrides = saved.putObject("overrides");
        state.overrides().forEach((domain, override) -> {
            ObjectNode entry = overrides.putObject(domain);
            override.keyword().ifPresent(keyword -> entry.put("mode", keyword));
            override.dane().ifPresent(dane -> entry.put("dane", dane.keyword()));
            override.expires().ifPresent(expires -> entry.put("expires", expires.toString()));
        });
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(saved);
    }

    private static Optional<String> text(JsonNode node, String field) {
        return Optional.ofNullable(node.get(field)).map(JsonNode::asText);
    }
}

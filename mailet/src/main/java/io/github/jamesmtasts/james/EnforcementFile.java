package io.github.jamesmtasts.james;

import io.github.jamesmtasts.delivery.Enforcement;
import io.github.jamesmtasts.files.AtomicFiles;
import io.github.jamesmtasts.state.EnforcementJson;
import io.github.jamesmtasts.state.EnforcementState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the admin's MTA-STS switch outlives a restart: the global mode and the per-domain overrides set
 * through WebAdmin, as one small JSON file under James's {@code var/} ({@link EnforcementJson}), replaced atomically
 * on each change ({@link AtomicFiles}), so a crash leaves the old state or the new one, never half.
 */
public final class EnforcementFile {
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
            EnforcementJson.read(Files.readAllBytes(file)).applyTo(enforcement);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the saved MTA-STS enforcement " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes the switch and the overrides in force. */
    public synchronized void save(Enforcement enforcement) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            AtomicFiles.replace(file, EnforcementJson.write(EnforcementState.of(enforcement)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the MTA-STS enforcement to " + file, e);
        }
    }
}

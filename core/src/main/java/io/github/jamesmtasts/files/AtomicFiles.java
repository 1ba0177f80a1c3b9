package io.github.jamesmtasts.files;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replacing a file so that a crash leaves the old content or the new, never half of one: the new content goes to
 * a temporary file in the same directory ({@code <name>.<random>.tmp}), is forced to disk, and is moved over the
 * old file; then the directory is forced, so the rename itself is durable.
 */
public final class AtomicFiles {
    /** The suffix of a temporary file; one found later was left by a crash before its move. */
    public static final String TEMPORARY_SUFFIX = ".tmp";
    private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);

    private AtomicFiles() {
    }

    /** Replaces {@code target} with {@code content}; on failure the temporary file is deleted and {@code target} left as it was. */
    public static void replace(Path target, byte[] content) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(directory, target.getFileName() + ".", TEMPORARY_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(content);
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        forceDirectory(directory);
    }

    /** Makes a rename or deletion in {@code directory} durable (POSIX); where a directory cannot be opened, the OS has it. */
    public static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            LOG.trace("Cannot force directory {} to disk", directory, notSupported);
        }
    }
}

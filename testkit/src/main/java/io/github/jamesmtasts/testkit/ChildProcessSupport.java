package io.github.jamesmtasts.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the testkit's servers run as child processes (Postfix, NSD, Unbound) share: reading their files, waiting a bit. */
final class ChildProcessSupport {
    private static final long PAUSE_MILLIS = 50;

    private ChildProcessSupport() {
    }

    /** A file a server wrote (a log, a pid file), in UTF-8. */
    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pause between two looks at a server that is starting or stopping. */
    static void pause() {
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

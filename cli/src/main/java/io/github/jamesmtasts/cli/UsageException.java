package io.github.jamesmtasts.cli;

/** The command line cannot be understood: the command prints why and its usage, and exits with 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}

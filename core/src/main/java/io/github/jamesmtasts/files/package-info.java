/**
 * Files the extension keeps across restarts (cached policies, TLS-RPT counts, the watch's last findings), written
 * so that a crash never leaves half a file. Start at {@link io.github.jamesmtasts.files.AtomicFiles}.
 */
package io.github.jamesmtasts.files;

/**
 * Files the extension keeps across restarts (cached policies, TLS-RPT counts, the watch's last findings), written
 * so that a crash never leaves half a file ({@link io.github.jamesmtasts.files.AtomicFiles}), one per domain
 * where they are per domain ({@link io.github.jamesmtasts.files.DomainFileNames}).
 */
package io.github.jamesmtasts.files;

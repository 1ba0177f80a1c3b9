/**
 * Watching one's own domains: the check senders would make ({@code io.github.jamesmtasts.check}) run daily or
 * on demand, and a mail only when something changes for the worse.
 *
 * <p>{@link io.github.jamesmtasts.watch.WatchRun} checks each domain, and {@link io.github.jamesmtasts.watch.Watch}
 * compares the findings with the last {@link io.github.jamesmtasts.watch.DomainState} kept in a
 * {@link io.github.jamesmtasts.watch.WatchStore}: an {@link io.github.jamesmtasts.watch.Alert} for a finding that
 * turned bad, for a certificate past the next of 30, 14 and 7 days, and for a problem gone; nothing while nothing
 * changes. {@link io.github.jamesmtasts.watch.ReadinessAdvice} says, from the TLS-RPT reports received, when a
 * domain in {@code testing} can move to {@code enforce}. No scheduling and no mail here: the James side does both.
 */
package io.github.jamesmtasts.watch;

/**
 * The {@code mta-sts} command a mail admin runs: {@code check} a domain as a sender enforcing MTA-STS would
 * see it, and {@code generate} the records and policy to publish. It uses the extension's own clients, made by
 * the same composition root as the James module ({@link io.github.jamesmtasts.assembly.Clients}), and the check
 * is core's {@link io.github.jamesmtasts.check.DomainCheck}, the one the James watch of its own domains runs. Start at
 * {@link io.github.jamesmtasts.cli.Main}.
 */
package io.github.jamesmtasts.cli;

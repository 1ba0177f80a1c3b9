/**
 * The composition root of the network clients: where the DNS, HTTPS and SMTP clients and their trust are put
 * together, once, for both the James adapter ({@code MtaStsModule}) and the {@code mta-sts} command. Start at
 * {@link io.github.jamesmtasts.assembly.Clients}.
 */
package io.github.jamesmtasts.assembly;

/**
 * DANE for SMTP (RFC 7672, on RFC 6698 and RFC 7671): the TLSA records of an MX host and the check of its
 * certificate against them.
 *
 * <p>{@link io.github.jamesmtasts.dane.TlsaRecord} is one record, parsed at the edge, and says whether this client
 * can use it; {@link io.github.jamesmtasts.dane.HostTlsa} is the secure TLSA RRset of one MX host with the names
 * it stands for; {@link io.github.jamesmtasts.dane.DaneVerifier} is the trust manager that accepts a server's
 * chain only when a usable record matches it (DANE-EE: the leaf alone; DANE-TA: a CA of the chain, then the
 * path and the names). Where the records come from, and what DNSSEC says of them, is the delivery's business
 * ({@code delivery.DaneDecision}); this package never looks anything up.
 */
package io.github.jamesmtasts.dane;

/**
 * DNS look-ups for the rest of the project, through dnsjava.
 *
 * <p>MTA-STS and TLS-RPT both start from DNS: a TXT record at {@code _mta-sts.<domain>} announces a
 * policy (RFC 8461 §3.1), one at {@code _smtp._tls.<domain>} says where reports go (RFC 8460 §3),
 * and the MX records (with the domain's own addresses as an implicit MX, RFC 5321 §5.1) say where
 * mail goes. Inside James, dnsjava's default resolver and cache are the ones James configures from
 * {@code dnsservice.xml}, so this package uses them and answers come from the admin's DNS servers.
 *
 * <p>Every answer is a {@link io.github.jamesmtasts.dns.DnsAnswer}, which tells a name that does not
 * exist, a name without records of the asked type, and a failure to get an answer apart: the
 * difference decides between "no policy" and "try later".
 */
package io.github.jamesmtasts.dns;

/**
 * Trust anchors and host names: the root certificates a server certificate must chain to, by PKIX
 * (RFC 5280), and how it must name its host, by a DNS-ID (RFC 6125), for both MTA-STS policy hosts
 * (RFC 8461 §3.3) and MX hosts under the verified stance (RFC 8461 §4.2). The JVM's trust store,
 * plus the CA certificates a James admin adds as a PEM file ({@code caFile}).
 */
package io.github.jamesmtasts.trust;

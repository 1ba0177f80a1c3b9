package io.github.jamesmtasts.check;

import io.github.jamesmtasts.dns.DnsClient;
import io.github.jamesmtasts.dns.DnssecClient;
import io.github.jamesmtasts.policy.PolicyFetcher;
import io.github.jamesmtasts.smtp.NettySmtpSender;

/**
 * The clients a {@link DomainCheck} looks through: the same DNS, DNSSEC, policy and SMTP clients delivery uses
 * (made by {@link io.github.jamesmtasts.assembly.Clients}), so the check sees a domain as the extension sends to it.
 */
public interface CheckClients {
    DnsClient dns();

    /** The DNSSEC-aware client for DANE (RFC 7672 §2.1), trusted or not. */
    DnssecClient dnssec();

    PolicyFetcher policies();

    NettySmtpSender smtp();

    /** The four clients as they are: the caller made them and closes them. */
    static CheckClients of(DnsClient dns, DnssecClient dnssec, PolicyFetcher policies, NettySmtpSender smtp) {
        return new CheckClients() {
            @Override
            public DnsClient dns() {
                return dns;
            }

            @Override
            public DnssecClient dnssec() {
                return dnssec;
            }

            @Override
            public PolicyFetcher policies() {
                return policies;
            }

            @Override
            public NettySmtpSender smtp() {
                return smtp;
            }
        };
    }
}

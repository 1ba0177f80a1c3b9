package io.github.jamesmtasts.delivery;

import io.github.jamesmtasts.dns.DnsAnswer;
import io.github.jamesmtasts.dns.MxHost;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The mail servers of a domain from its MX answer (RFC 5321 §5.1, RFC 7505): the MX hosts in preference
 * order, the domain itself as implicit MX when it has no MX records, or why there are none.
 */
final class MailServers {
    private final List<MxHost> hosts;
    private final boolean implicit;
    private final DeliveryProblem problem;

    private MailServers(List<MxHost> hosts, boolean implicit, DeliveryProblem problem) {
        this.hosts = List.copyOf(hosts);
        this.implicit = implicit;
        this.problem = problem;
    }

    /**
     * @param random shuffles hosts of equal preference (RFC 5321 §5.1: "the sender-SMTP MUST randomize
     *               them to spread the load"), so that each attempt may start with another of them
     */
    static MailServers of(String domain, DnsAnswer<MxHost> answer, Random random) {
        switch (answer.status()) {
            case FOUND:
                List<MxHost> real = answer.records().stream().filter(host -> !host.isNullMx()).collect(Collectors.toList());
                if (real.isEmpty()) {
                    // RFC 7505 §3: "." as the only MX: the domain accepts no mail. A null MX among real ones is ignored.
                    return failed(DeliveryProblem.of(DeliveryProblem.Cause.NULL_MX,
                        domain + " does not accept mail (null MX, RFC 7505)"));
                }
                return new MailServers(shuffledWithinPreference(real, random), false, null);
            case NO_RECORDS:
                // RFC 5321 §5.1: without MX records the domain itself is the implicit MX.
                return new MailServers(List.of(new MxHost(domain, 0)), true, null);
            case NO_SUCH_DOMAIN:
                return failed(DeliveryProblem.of(DeliveryProblem.Cause.NO_MAIL_SERVER,
                    "no mail server found for " + domain + ": " + answer.detail()));
            default:
                return failed(DeliveryProblem.of(DeliveryProblem.Cause.DNS,
                    "MX look-up for " + domain + " failed: " + answer.detail()));
        }
    }

    /** The hosts, still in preference order (as DNS gave them), each run of equal preference shuffled. */
    private static List<MxHost> shuffledWithinPreference(List<MxHost> sorted, Random random) {
        List<MxHost> hosts = new ArrayList<>(sorted.size());
        int start = 0;
        while (start < sorted.size()) {
            int end = start;
            while (end < sorted.size() && sorted.get(end).preference() == sorted.get(start).preference()) {
                end++;
            }
            List<MxHost> equal = new ArrayList<>(sorted.subList(start, end));
            Collections.shuffle(equal, random);
            hosts.addAll(equal);
            start = end;
        }
        return hosts;
    }

    private static MailServers failed(DeliveryProblem problem) {
        return new MailServers(List.of(), false, Objects.requireNonNull(problem));
    }

    /** The hosts to try, in preference order; empty when {@link #problem()} is present. */
    List<MxHost> hosts() {
        return hosts;
    }

    /** Whether the only host is the domain itself (no MX records). */
    boolean implicit() {
        return implicit;
    }

    /** Why there is no host to try. A {@link DeliveryProblem.Cause#DNS} problem is temporary, the others permanent. */
    Optional<DeliveryProblem> problem() {
        return Optional.ofNullable(problem);
    }
}

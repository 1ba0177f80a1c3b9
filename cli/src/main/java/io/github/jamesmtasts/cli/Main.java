package io.github.jamesmtasts.cli;

import io.github.jamesmtasts.check.CheckReport;
import io.github.jamesmtasts.check.DomainCheck;
import io.github.jamesmtasts.dns.HostNames;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code mta-sts}: the checker and policy generator for mail admins. Exit codes: 0 when a sender enforcing
 * MTA-STS would deliver (check) or what is published matches (generate --check); 1 when not; 2 on usage errors.
 */
public final class Main {
    static final int OK = 0;
    static final int NOT_OK = 1;
    static final int USAGE = 2;
    private static final String USAGE_TEXT = String.join("\n",
        "usage: mta-sts check DOMAIN [--json] [--dns IP[:PORT]] [--ca-file PEM] [--timeout DURATION] [--helo NAME]",
        "                            [--allow-private-addresses]",
        "       mta-sts generate DOMAIN --mx HOST [--mx HOST...] [--mode enforce|testing|none] [--max-age SECONDS]",
        "                               [--rua URI...] [--tlsa-cert PEM]",
        "                               [--check [--dns IP[:PORT]] [--ca-file PEM] [--timeout DURATION]]");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)?");
    private static final Map<String, ChronoUnit> UNITS = Map.of("ms", ChronoUnit.MILLIS, "s", ChronoUnit.SECONDS,
        "m", ChronoUnit.MINUTES, "h", ChronoUnit.HOURS);
    private static final Set<String> NETWORK_OPTIONS = Set.of("--dns", "--ca-file", "--timeout", "--helo");

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err, Clock.systemUTC()));
    }

    /** Runs a command; returns its exit code. */
    static int run(List<String> args, PrintStream out, PrintStream err, Clock clock) {
        try {
            if (args.isEmpty()) {
                throw new UsageException("no command");
            }
            switch (args.get(0)) {
                case "check":
                    return check(args.subList(1, args.size()), out, clock);
                case "generate":
                    return generate(args.subList(1, args.size()), out, clock);
                case "-h":
                case "--help":
                    out.println(USAGE_TEXT);
                    return OK;
                default:
                    throw new UsageException("unknown command " + args.get(0));
            }
        } catch (UsageException e) {
            err.println("mta-sts: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        }
    }

    private static int check(List<String> args, PrintStream out, Clock clock) throws UsageException {
        Arguments arguments = Arguments.parse(args, NETWORK_OPTIONS, Set.of("--json", "--allow-private-addresses"));
        String domain = domain(arguments);
        try (Network network = Network.from(arguments)) {
            CheckReport report = new DomainCheck(network, clock).check(domain);
            if (arguments.has("--json")) {
                report.printJson(out);
            } else {
                report.printText(out);
            }
            return report.deliverable() ? OK : NOT_OK;
        }
    }

    private static int generate(List<String> args, PrintStream out, Clock clock) throws UsageException {
        Set<String> valued = new HashSet<>(NETWORK_OPTIONS);
        valued.addAll(Set.of("--mx", "--mode", "--max-age", "--rua", "--tlsa-cert"));
        Arguments arguments = Arguments.parse(args, valued, Set.of("--check", "--allow-private-addresses"));
        GenerateCommand generated = GenerateCommand.of(domain(arguments), arguments, clock);
        generated.print(out);
        if (!arguments.has("--check")) {
            return OK;
        }
        try (Network network = Network.from(arguments)) {
            List<String> differences = generated.compare(network);
            out.println();
            out.println(differences.isEmpty() ? "; published: the same" : "; published: different");
            differences.forEach(difference -> out.println(";   " + difference));
            return differences.isEmpty() ? OK : NOT_OK;
        }
    }

    /** The one positional word, a domain name, as an A-label. */
    private static String domain(Arguments arguments) throws UsageException {
        if (arguments.positional().size() != 1) {
            throw new UsageException("give exactly one DOMAIN");
        }
        try {
            return HostNames.toAscii(arguments.positional().get(0));
        } catch (IllegalArgumentException e) {
            throw new UsageException("not a domain name: " + arguments.positional().get(0));
        }
    }

    /** {@code 30} or {@code 30s} (seconds), {@code 500ms}, {@code 2m}, {@code 1h}, or ISO-8601 {@code PT30S}. */
    static Duration duration(String text) throws UsageException {
        Matcher matcher = DURATION.matcher(text.trim());
        Duration duration;
        try {
            if (text.startsWith("P")) {
                duration = Duration.parse(text);
            } else if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                duration = Duration.of(amount, UNITS.get(matcher.group(2) == null ? "s" : matcher.group(2)));
            } else {
                throw new UsageException("--timeout needs a duration such as 30s, not " + text);
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new UsageException("--timeout needs a duration such as 30s, not " + text);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new UsageException("--timeout must be positive");
        }
        return duration;
    }
}

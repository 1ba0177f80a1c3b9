package io.github.jamesmtasts.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A command line split into positional words, options with values ({@code --dns 127.0.0.1}, repeatable) and
 * flags ({@code --json}). Immutable; every mistake is a {@link UsageException}.
 */
final class Arguments {
    private final List<String> positional;
    private final Map<String, List<String>> options;

    private Arguments(List<String> positional, Map<String, List<String>> options) {
        this.positional = List.copyOf(positional);
        this.options = Map.copyOf(options);
    }

    /**
     * Parses {@code args}; {@code valued} options take the next word as their value, {@code flags} take none;
     * anything else starting with {@code --} is a usage error.
     */
    static Arguments parse(List<String> args, Set<String> valued, Set<String> flags) throws UsageException {
        List<String> positional = new ArrayList<>();
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String word = args.get(i);
            if (flags.contains(word)) {
                options.computeIfAbsent(word, key -> new ArrayList<>());
            } else if (valued.contains(word)) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    throw new UsageException(word + " needs a value");
                }
                options.computeIfAbsent(word, key -> new ArrayList<>()).add(args.get(++i));
            } else if (word.startsWith("--")) {
                throw new UsageException("unknown option " + word);
            } else {
                positional.add(word);
            }
        }
        return new Arguments(positional, options);
    }

    List<String> positional() {
        return positional;
    }

    boolean has(String option) {
        return options.containsKey(option);
    }

    /** The values of a repeatable option, in order. */
    List<String> all(String option) {
        return options.getOrDefault(option, List.of());
    }

    /** The value of an option given at most once. */
    Optional<String> one(String option) throws UsageException {
        List<String> values = all(option);
        if (values.size() > 1) {
            throw new UsageException(option + " is given more than once");
        }
        return values.stream().findFirst();
    }
}

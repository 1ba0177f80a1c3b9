package io.github.jamesmtasts.delivery;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** The result of delivering one message to one policy domain: every recipient's outcome, and how it went. */
public final class DomainOutcome {
    private final String domain;
    private final PolicyApplication application;
    private final Map<String, DeliveryOutcome> outcomes;
    private final List<String> steps;

    DomainOutcome(String domain, PolicyApplication application, Map<String, DeliveryOutcome> outcomes, List<String> steps) {
        this.domain = Objects.requireNonNull(domain, "domain");
        this.application = Objects.requireNonNull(application, "application");
        this.outcomes = Map.copyOf(outcomes);
        this.steps = List.copyOf(steps);
    }

    public String domain() {
        return domain;
    }

    /** How MTA-STS was applied (after a re-check, the renewed policy). */
    public PolicyApplication application() {
        return application;
    }

    /** Every recipient of the request and its outcome. */
    public Map<String, DeliveryOutcome> outcomes() {
        return outcomes;
    }

    /** The MX hosts and sessions tried, in order, for logs. */
    public List<String> steps() {
        return steps;
    }

    /** The recipients whose outcome has the status given. */
    public List<String> recipients(DeliveryOutcome.Status status) {
        return outcomes.entrySet().stream().filter(entry -> entry.getValue().status() == status)
            .map(Map.Entry::getKey).sorted().collect(Collectors.toList());
    }

    @Override
    public String toString() {
        return domain + " " + application + " " + steps + " " + outcomes;
    }
}

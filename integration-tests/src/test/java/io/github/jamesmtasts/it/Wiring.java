package io.github.jamesmtasts.it;

import com.google.inject.Key;
import com.google.inject.spi.Element;
import com.google.inject.spi.Elements;
import com.google.inject.spi.ProviderInstanceBinding;
import io.github.jamesmtasts.james.MtaStsModule;
import io.github.jamesmtasts.policy.PolicyResolver;

/**
 * Whether the extension is complete enough to boot: James cannot create the delivery mailet until the
 * extension's Guice module binds a {@link PolicyResolver} (the policy engine). The integration tests run
 * only then; until then they are reported as skipped, not passed.
 */
final class Wiring {
    private Wiring() {
    }

    static boolean policyEngineBound() {
        Key<PolicyResolver> key = Key.get(PolicyResolver.class);
        for (Element element : Elements.getElements(new MtaStsModule())) {
            if (element instanceof ProviderInstanceBinding && ((ProviderInstanceBinding<?>) element).getKey().equals(key)) {
                return true;
            }
        }
        return false;
    }
}

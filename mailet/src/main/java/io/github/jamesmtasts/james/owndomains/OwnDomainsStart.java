package io.github.jamesmtasts.james.owndomains;

import org.apache.james.utils.UserDefinedStartable;

import javax.inject.Inject;

/**
 * Starts {@link OwnDomains} with James, from {@code conf/extensions.properties}
 * ({@code guice.extension.startable=io.github.jamesmtasts.james.owndomains.OwnDomainsStart}).
 */
public final class OwnDomainsStart implements UserDefinedStartable {
    private final OwnDomains ownDomains;

    @Inject
    public OwnDomainsStart(OwnDomains ownDomains) {
        this.ownDomains = ownDomains;
    }

    @Override
    public void start() {
        ownDomains.start();
    }
}

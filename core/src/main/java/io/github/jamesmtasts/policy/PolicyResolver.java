package io.github.jamesmtasts.policy;

import java.util.concurrent.CompletableFuture;

/**
 * Turns a recipient domain into the MTA-STS policy that applies to it (RFC 8461 §3, §5.1).
 * The futures never complete exceptionally: every failure is inside the {@link PolicyLookup}.
 */
public interface PolicyResolver {
    /** The policy for a domain, from the cache when its TXT {@code id} is unchanged. */
    CompletableFuture<PolicyLookup> resolve(String domain);

    /**
     * RFC 8461 §5.1 step 5: before mail is failed because of the policy, check the TXT {@code id}
     * again, bypassing caches, and fetch the policy anew if it changed.
     */
    CompletableFuture<PolicyLookup> recheck(String domain);
}

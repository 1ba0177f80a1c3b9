package io.github.jamesmtasts.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.james.protocols.smtp.hook.HookResult;
import org.junit.jupiter.api.Test;

class RequireTlsEhloHookTest {
    private final RequireTlsEhloHook hook = new RequireTlsEhloHook();

    @Test
    void offersRequireTlsOnATlsSession() {
        assertThat(hook.implementedEsmtpFeatures(Sessions.withTls())).containsExactly("REQUIRETLS");
    }

    @Test
    void offersNothingWithoutTls() {
        assertThat(hook.implementedEsmtpFeatures(Sessions.withoutTls())).isEmpty();
    }

    @Test
    void leavesTheHeloDecisionToOthers() {
        assertThat(hook.doHelo(Sessions.withoutTls(), "client.test")).isEqualTo(HookResult.DECLINED);
    }
}

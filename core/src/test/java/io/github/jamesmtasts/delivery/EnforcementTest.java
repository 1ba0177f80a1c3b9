package io.github.jamesmtasts.delivery;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class EnforcementTest {
    private final Clock clock = Clock.fixed(Instant.parse("2024-05-01T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void theGlobalSwitchChangesAtRunTime() {
        Enforcement enforcement = new Enforcement(EnforcementMode.ENFORCE, clock);

        enforcement.setGlobal(EnforcementMode.REPORT_ONLY);

        assertThat(enforcement.global()).isEqualTo(EnforcementMode.REPORT_ONLY);
        assertThat(enforcement.modeFor("example.com")).isEqualTo(EnforcementMode.REPORT_ONLY);
    }

    @Test
    void anOverrideAppliesToItsDomainInAnyCaseUntilItExpires() {
        Enforcement enforcement = new Enforcement(EnforcementMode.ENFORCE, clock);
        enforcement.override("Example.COM.", DomainOverride.of(EnforcementMode.OFF, Optional.of(Instant.parse("2024-05-01T13:00:00Z"))));
        enforcement.override("old.example", DomainOverride.of(EnforcementMode.OFF, Optional.of(Instant.parse("2024-05-01T11:00:00Z"))));

        assertThat(enforcement.modeFor("example.com")).isEqualTo(EnforcementMode.OFF);
        assertThat(enforcement.modeFor("old.example")).isEqualTo(EnforcementMode.ENFORCE);
        assertThat(enforcement.overrides()).containsOnlyKeys("example.com");
        assertThat(enforcement.removeOverride("EXAMPLE.com")).isTrue();
        assertThat(enforcement.modeFor("example.com")).isEqualTo(EnforcementMode.ENFORCE);
    }

    @Test
    void overridesUseTheWordsEnforceTestingAndOff() {
        assertThat(DomainOverride.modeFromKeyword("testing")).contains(EnforcementMode.REPORT_ONLY);
        assertThat(DomainOverride.modeFromKeyword("enforce")).contains(EnforcementMode.ENFORCE);
        assertThat(DomainOverride.modeFromKeyword("off")).contains(EnforcementMode.OFF);
        assertThat(DomainOverride.modeFromKeyword("report-only")).isEmpty();
        assertThat(DomainOverride.of(EnforcementMode.REPORT_ONLY, Optional.empty()).keyword()).contains("testing");
        assertThat(EnforcementMode.fromKeyword("report-only")).contains(EnforcementMode.REPORT_ONLY);
    }
}

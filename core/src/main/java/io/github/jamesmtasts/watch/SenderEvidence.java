package io.github.jamesmtasts.watch;

/**
 * What the TLS-RPT reports a domain received (RFC 8460 §4) say of its policy, summed over the reports: how many
 * organisations reported, over how many days, and how many of their sessions failed.
 */
public interface SenderEvidence {
    /** Distinct {@code organization-name}s among the reports. */
    int reportingOrganisations();

    /** Days between the start of the earliest report and the end of the latest. */
    int daysCovered();

    /** {@code total-failure-session-count} summed over the reports' policies of this domain. */
    long failedSessions();
}

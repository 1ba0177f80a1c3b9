package io.github.jamesmtasts.tlsrpt.receiving;

/** Told of each report the {@link ReportIntake} took or refused, for metrics; its methods must return quickly. */
public interface IntakeListener {
    /** Tells nothing to no one. */
    IntakeListener NONE = new IntakeListener() {
        @Override
        public void accepted(ReceivedReport report) {
        }

        @Override
        public void rejected(Reason reason) {
        }
    };

    /** A new report was kept. */
    void accepted(ReceivedReport report);

    /** A report was refused, or was one kept already ({@link Reason#DUPLICATE}). */
    void rejected(Reason reason);
}

package io.github.jamesmtasts.tlsrpt.receiving;

import java.util.Objects;

/** A report not taken: the {@link Reason} and a detail for a person, such as the JSON path of a wrong field. */
public final class Rejection {
    private static final int MAX_DETAIL = 300;

    private final Reason reason;
    private final String detail;

    private Rejection(Reason reason, String detail) {
        this.reason = Objects.requireNonNull(reason, "reason");
        this.detail = printable(Objects.requireNonNull(detail, "detail"));
    }

    public static Rejection of(Reason reason, String detail) {
        return new Rejection(reason, detail);
    }

    public Reason reason() {
        return reason;
    }

    /** Short and of printable characters only: details quote what a sender sent, and they are logged. */
    public String detail() {
        return detail;
    }

    private static String printable(String text) {
        StringBuilder printable = new StringBuilder(Math.min(text.length(), MAX_DETAIL));
        text.codePoints().limit(MAX_DETAIL).forEach(c -> printable.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return text.codePointCount(0, text.length()) > MAX_DETAIL ? printable.append('…').toString() : printable.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rejection && reason == ((Rejection) o).reason && detail.equals(((Rejection) o).detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reason, detail);
    }

    @Override
    public String toString() {
        return reason + ": " + detail;
    }
}

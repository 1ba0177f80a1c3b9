package io.github.jamesmtasts.mtasts;

/** Character classes of RFC 5234 Appendix B.1, as the grammars of RFC 8461 use them. */
final class Abnf {
    private Abnf() {
    }

    static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAlphaDigit(char c) {
        return isAlpha(c) || isDigit(c);
    }

    /** {@code WSP = SP / HTAB}. */
    static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }

    static boolean allDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return !text.isEmpty();
    }

    /**
     * RFC 8461 §3.1 {@code sts-ext-name} and §3.2 {@code sts-policy-ext-name}:
     * {@code (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")}.
     */
    static boolean isExtensionName(String name) {
        if (name.isEmpty() || name.length() > 32 || !isAlphaDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAlphaDigit(c) && c != '_' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    /** The index of the first character from {@code from} that is not WSP. */
    static int skipWsp(String text, int from) {
        int i = from;
        while (i < text.length() && isWsp(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The text without WSP at its end. */
    static String stripTrailingWsp(String text) {
        int end = text.length();
        while (end > 0 && isWsp(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }
}

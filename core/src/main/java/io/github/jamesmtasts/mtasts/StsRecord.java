package io.github.jamesmtasts.mtasts;

import java.util.Objects;

/**
 * The {@code _mta-sts} TXT record of a domain (RFC 8461 §3.1): it says the domain has a policy, and
 * its {@code id} changes whenever the policy does.
 *
 * <pre>
 * sts-text-record = sts-version 1*(sts-field-delim sts-field) [sts-field-delim]
 * sts-version     = %s"v=STSv1"
 * sts-field-delim = *WSP ";" *WSP
 * sts-field       = sts-id / sts-extension
 * sts-id          = %s"id=" 1*32(ALPHA / DIGIT)
 * sts-extension   = sts-ext-name "=" sts-ext-value
 * sts-ext-value   = 1*(%x21-3A / %x3C / %x3E-7E)
 * </pre>
 */
public final class StsRecord {
    private static final String VERSION = "v=STSv1";
    private static final String ID_FIELD = "id";
    private static final int MAX_ID_LENGTH = 32;

    /** Why a TXT string is not a valid {@code _mta-sts} record. */
    public enum Problem {
        /** It does not begin with {@code v=STSv1} and a delimiter (the version is case-sensitive). */
        NOT_STS_VERSION,
        /** It has no {@code id} field. */
        MISSING_ID,
        /** Its {@code id} is not 1 to 32 letters and digits. */
        INVALID_ID,
        /** It breaks the grammar elsewhere: an empty field, a bad extension, stray white space, non-ASCII. */
        SYNTAX
    }

    private final String id;

    private StsRecord(String id) {
        this.id = id;
    }

    /** A record with this {@code id}, which must be 1 to 32 letters and digits. */
    public static StsRecord withId(String id) {
        if (!isValidId(id)) {
            throw new IllegalArgumentException("not an sts-id: " + id);
        }
        return new StsRecord(id);
    }

    /** The policy's version id: a change means a new policy to fetch. Case-sensitive. */
    public String id() {
        return id;
    }

    /**
     * RFC 8461 §3.1: whether a TXT string is a candidate record, that is, begins with the version
     * field and a delimiter. Other TXT records at the name are discarded before selection.
     */
    public static boolean isCandidate(String text) {
        return text.startsWith(VERSION) && versionDelimited(text);
    }

    /** Parses one TXT string (its character-strings already joined). */
    public static Parsed<StsRecord, Problem> parse(String text) {
        if (!isCandidate(text)) {
            return text.equals(VERSION)
                ? Parsed.invalid(Problem.MISSING_ID, "no field after the version")
                : Parsed.invalid(Problem.NOT_STS_VERSION, "does not begin with \"v=STSv1;\"");
        }
        String[] parts = text.substring(VERSION.length()).split(";", -1);
        String id = null;
        // parts[0] is the white space before the first ";" (checked by isCandidate).
        for (int i = 1; i < parts.length; i++) {
            boolean last = i == parts.length - 1;
            String field = fieldOf(parts[i], last);
            if (field == null) {
                return Parsed.invalid(Problem.SYNTAX, "white space after the last field without a following \";\"");
            }
            if (field.isEmpty()) {
                if (last) {
                    break; // an optional final delimiter
                }
                return Parsed.invalid(Problem.SYNTAX, "an empty field");
            }
            int equals = field.indexOf('=');
            if (equals < 0) {
                return Parsed.invalid(Problem.SYNTAX, "a field without \"=\": " + field);
            }
            String name = field.substring(0, equals);
            String value = field.substring(equals + 1);
            if (ID_FIELD.equals(name) && id == null) {
                if (!isValidId(value)) {
                    return Parsed.invalid(Problem.INVALID_ID, "id is not 1 to 32 letters and digits: " + value);
                }
                id = value;
            } else if (!Abnf.isExtensionName(name) || !isExtensionValue(value)) {
                // RFC 8461 §3.2: unknown fields are ignored, repeated ones after the first too, but they must be well-formed.
                return Parsed.invalid(Problem.SYNTAX, "a malformed field: " + field);
            }
        }
        return id == null ? Parsed.invalid(Problem.MISSING_ID, "no id field") : Parsed.valid(new StsRecord(id));
    }

    /** {@code *WSP ";"} follows the version. */
    private static boolean versionDelimited(String text) {
        int next = Abnf.skipWsp(text, VERSION.length());
        return next < text.length() && text.charAt(next) == ';';
    }

    /**
     * The field between two delimiters, without the white space the delimiters allow; null when the
     * last part ends in white space, which only a following {@code ;} would allow.
     */
    private static String fieldOf(String part, boolean last) {
        String field = part.substring(Abnf.skipWsp(part, 0));
        String stripped = Abnf.stripTrailingWsp(field);
        if (last && !stripped.isEmpty() && stripped.length() != field.length()) {
            return null;
        }
        return stripped;
    }

    private static boolean isValidId(String id) {
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (!Abnf.isAlphaDigit(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code 1*(%x21-3A / %x3C / %x3E-7E)}: printable ASCII except {@code ;} and {@code =}. */
    private static boolean isExtensionValue(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e || c == ';' || c == '=') {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StsRecord && id.equals(((StsRecord) o).id);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id);
    }

    @Override
    public String toString() {
        return "v=STSv1; id=" + id;
    }
}

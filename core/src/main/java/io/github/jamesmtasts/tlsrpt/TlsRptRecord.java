package io.github.jamesmtasts.tlsrpt;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A valid TLS-RPT record: the TXT record at {@code _smtp._tls.<policy domain>} that says where
 * reports go (RFC 8460 §3). Only the destinations this sender can use are kept.
 */
public final class TlsRptRecord {
    /** RFC 8460 §3: {@code tlsrpt-version}, case-sensitive. */
    static final String VERSION = "v=TLSRPTv1";
    private static final String RUA = "rua";
    // RFC 8460 §3: tlsrpt-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
    private static final Pattern EXTENSION_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    // RFC 8460 §3: tlsrpt-ext-value = 1*(%x21-3A / %x3C / %x3E-7E): no "=", ";", space or control characters
    private static final Pattern EXTENSION_VALUE = Pattern.compile("[\\x21-\\x3A\\x3C\\x3E-\\x7E]+");

    private final List<ReportUri> destinations;

    private TlsRptRecord(List<ReportUri> destinations) {
        this.destinations = List.copyOf(destinations);
    }

    /**
     * Parses one record (its character-strings already joined) by the ABNF of RFC 8460 §3:
     * {@code tlsrpt-record = tlsrpt-version 1*(field-delim tlsrpt-field) [field-delim]} with
     * {@code field-delim = *WSP ";" *WSP}. Unknown extensions are ignored, as §3 requires; so are
     * URIs of schemes other than {@code mailto} and {@code https}. Several {@code rua} fields add up.
     * White space at the very end is tolerated, as deployed parsers do.
     *
     * @throws InvalidRecordException with the {@link RecordError} found first
     */
    public static TlsRptRecord parse(String text) throws InvalidRecordException {
        if (!text.startsWith(VERSION)) {
            throw new InvalidRecordException(RecordError.NOT_VERSION_1, "does not start with " + VERSION);
        }
        String[] parts = stripTrailingWsp(text.substring(VERSION.length())).split(";", -1);
        if (!isWsp(parts[0])) {
            throw new InvalidRecordException(RecordError.NOT_VERSION_1, "no field delimiter after " + VERSION);
        }
        List<ReportUri> destinations = new ArrayList<>();
        boolean ruaSeen = false;
        for (int i = 1; i < parts.length; i++) {
            String field = stripWsp(parts[i]);
            if (field.isEmpty() && i == parts.length - 1) {
                break; // RFC 8460 §3: one optional trailing field-delim
            }
            int equals = field.indexOf('=');
            if (equals <= 0) {
                throw new InvalidRecordException(RecordError.MALFORMED_FIELD, "not a name=value field: '" + field + "'");
            }
            String name = field.substring(0, equals);
            String value = field.substring(equals + 1);
            if (RUA.equals(name)) {
                ruaSeen = true;
                destinations.addAll(parseRua(value));
            } else if (!EXTENSION_NAME.matcher(name).matches() || !EXTENSION_VALUE.matcher(value).matches()) {
                throw new InvalidRecordException(RecordError.INVALID_EXTENSION, "invalid extension: '" + field + "'");
            }
        }
        if (!ruaSeen) {
            throw new InvalidRecordException(RecordError.MISSING_RUA, "no rua field");
        }
        if (destinations.isEmpty()) {
            throw new InvalidRecordException(RecordError.NO_SUPPORTED_URI, "no mailto or https URI in rua");
        }
        return new TlsRptRecord(destinations);
    }

    /** RFC 8460 §3: {@code tlsrpt-rua = "rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)}. */
    private static List<ReportUri> parseRua(String value) throws InvalidRecordException {
        List<ReportUri> uris = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            String uri = stripWsp(item);
            if (uri.isEmpty()) {
                throw new InvalidRecordException(RecordError.INVALID_URI, "empty URI in rua");
            }
            Optional<ReportUri> supported = ReportUri.parse(uri);
            supported.ifPresent(uris::add);
        }
        return uris;
    }

    /** Where reports go, in the record's order. Never empty. */
    public List<ReportUri> destinations() {
        return destinations;
    }

    private static boolean isWsp(String text) {
        return stripWsp(text).isEmpty();
    }

    /** RFC 5234 WSP is space and horizontal tab only. */
    private static String stripWsp(String text) {
        int start = 0;
        while (start < text.length() && isWspChar(text.charAt(start))) {
            start++;
        }
        return stripTrailingWsp(text.substring(start));
    }

    private static String stripTrailingWsp(String text) {
        int end = text.length();
        while (end > 0 && isWspChar(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    private static boolean isWspChar(char c) {
        return c == ' ' || c == '\t';
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsRptRecord && destinations.equals(((TlsRptRecord) o).destinations);
    }

    @Override
    public int hashCode() {
        return destinations.hashCode();
    }

    @Override
    public String toString() {
        return VERSION + "; rua=" + destinations;
    }
}

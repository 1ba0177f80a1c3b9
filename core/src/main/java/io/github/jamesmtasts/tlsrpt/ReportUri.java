package io.github.jamesmtasts.tlsrpt;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code rua} destination of a TLS-RPT record (RFC 8460 §3): a {@code mailto:} address
 * (RFC 6068) or an {@code https:} endpoint that takes a POST.
 */
public final class ReportUri {
    /** The two URI schemes RFC 8460 §3 supports. */
    public enum Scheme {
        MAILTO, HTTPS
    }

    private final Scheme scheme;
    private final URI uri;

    private ReportUri(Scheme scheme, URI uri) {
        this.scheme = scheme;
        this.uri = uri;
    }

    /**
     * Reads one URI of a {@code rua} list.
     *
     * @return empty when the URI is valid but of a scheme RFC 8460 does not support (it is then ignored)
     * @throws InvalidRecordException {@link RecordError#INVALID_URI} when it is not a usable absolute URI
     */
    static Optional<ReportUri> parse(String text) throws InvalidRecordException {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidRecordException(RecordError.INVALID_URI, "not a URI: " + text);
        }
        if (!uri.isAbsolute()) {
            throw new InvalidRecordException(RecordError.INVALID_URI, "not an absolute URI: " + text);
        }
        switch (uri.getScheme().toLowerCase(Locale.ROOT)) {
            case "mailto":
                // RFC 6068 §2: mailtoURI = "mailto:" [ to ] [ hfields ], addresses and header fields, no authority.
                if (uri.getRawSchemeSpecificPart().startsWith("//")) {
                    throw new InvalidRecordException(RecordError.INVALID_URI, "mailto with an authority: " + text);
                }
                if (mailbox(uri).isEmpty()) {
                    throw new InvalidRecordException(RecordError.INVALID_URI, "mailto without an address: " + text);
                }
                return Optional.of(new ReportUri(Scheme.MAILTO, uri));
            case "https":
                if (uri.getHost() == null) {
                    throw new InvalidRecordException(RecordError.INVALID_URI, "https URI without a host: " + text);
                }
                return Optional.of(new ReportUri(Scheme.HTTPS, uri));
            default:
                return Optional.empty();
        }
    }

    public Scheme scheme() {
        return scheme;
    }

    public URI uri() {
        return uri;
    }

    /**
     * The address of a {@code mailto:} URI: its path with percent-encoding undone, header fields
     * ({@code ?subject=...}, RFC 6068 §2) left out.
     *
     * @throws IllegalStateException for an {@code https:} URI
     */
    public String mailbox() {
        if (scheme != Scheme.MAILTO) {
            throw new IllegalStateException("not a mailto URI: " + uri);
        }
        return mailbox(uri);
    }

    private static String mailbox(URI uri) {
        String raw = uri.getRawSchemeSpecificPart();
        int query = raw.indexOf('?');
        String encoded = query < 0 ? raw : raw.substring(0, query);
        return encoded.isEmpty() ? "" : URI.create("mailto:" + encoded).getSchemeSpecificPart();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ReportUri)) {
            return false;
        }
        ReportUri other = (ReportUri) o;
        return scheme == other.scheme && uri.equals(other.uri);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheme, uri);
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}

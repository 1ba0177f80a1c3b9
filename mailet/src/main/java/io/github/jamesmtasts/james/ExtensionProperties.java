package io.github.jamesmtasts.james;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.utils.PropertiesProvider;

import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The extension-wide settings in {@code conf/mta-sts.properties}, shared by every mailet, hook and route.
 * A missing file means every default. Immutable.
 */
public final class ExtensionProperties {
    /** The file's name under {@code conf/}, without {@code .properties}. */
    public static final String FILE = "mta-sts";
    /** A PEM file of CA certificates trusted for policy hosts and MX hosts besides the JDK's. */
    public static final String CA_FILE = "caFile";
    /** Whether policy hosts may have loopback or private addresses (staging and tests only). Default false. */
    public static final String ALLOW_PRIVATE_ADDRESSES = "allowPrivateAddresses";

    private final Path caFile;
    private final boolean allowPrivateAddresses;

    private ExtensionProperties(Path caFile, boolean allowPrivateAddresses) {
        this.caFile = caFile;
        this.allowPrivateAddresses = allowPrivateAddresses;
    }

    /** Every default: the JDK's trust store only, public addresses only. */
    public static ExtensionProperties defaults() {
        return new ExtensionProperties(null, false);
    }

    /** Reads {@code conf/mta-sts.properties}. */
    public static ExtensionProperties read(PropertiesProvider provider) throws ConfigurationException {
        try {
            return from(provider.getConfiguration(FILE));
        } catch (FileNotFoundException e) {
            return defaults();
        }
    }

    static ExtensionProperties from(Configuration configuration) {
        String ca = configuration.getString(CA_FILE, "").trim();
        return new ExtensionProperties(ca.isEmpty() ? null : Path.of(ca),
            configuration.getBoolean(ALLOW_PRIVATE_ADDRESSES, false));
    }

    public Optional<Path> caFile() {
        return Optional.ofNullable(caFile);
    }

    public boolean allowPrivateAddresses() {
        return allowPrivateAddresses;
    }
}

package io.github.jamesmtasts.files;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** A file per domain: {@code <domain><suffix>}, for a normalised A-label domain, which is always a safe file name. */
public final class DomainFileNames {
    private static final Pattern A_LABEL_DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    private DomainFileNames() {
    }

    /** @throws IllegalArgumentException if {@code domain} is not a normalised A-label domain (so ".." or "/" never reach the file system) */
    public static Path resolve(Path directory, String domain, String suffix) {
        if (!A_LABEL_DOMAIN.matcher(domain).matches()) {
            throw new IllegalArgumentException("not a normalised A-label domain: " + domain);
        }
        return directory.resolve(domain + suffix);
    }
}

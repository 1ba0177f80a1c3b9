package io.github.jamesmtasts.tlsrpt.sending;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Settings and helpers shared by the report tests. */
final class Reports {
    static final String SUBMITTER = "mail.sender.example";

    private Reports() {
    }

    static TlsRptSettings.Builder settings() {
        return TlsRptSettings.builder(SUBMITTER).organizationName("Sender Org").contactInfo("tlsrpt@" + SUBMITTER);
    }

    static byte[] gunzip(byte[] compressed) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.github.jamesmtasts.tlsrpt.sending;

import io.github.jamesmtasts.tlsrpt.ReportUri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.mail.MessagingException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Delivers one report to every destination of the policy domain's record (RFC 8460 §3, §5). Each
 * destination is tried on its own and, while it fails, retried with {@link ExponentialBackoff} for up to the
 * retry window (§5.5). The report counts as delivered once one destination accepted it (§3); a
 * {@code mailto:} destination accepts it when the mail system takes the mail. Runs on the
 * {@link TaskScheduler}'s single thread, so its state needs no locks.
 */
final class ReportDelivery {
    private static final Logger LOGGER = LoggerFactory.getLogger(ReportDelivery.class);

    /** What the scheduler learns when the report is settled. */
    interface Listener {
        /** The first destination accepted the report, or every destination gave up. */
        void settled(TlsReport report, boolean delivered);
    }

    private final TlsReport report;
    private final List<ReportUri> destinations;
    private final ReportMailer mailer;
    private final ReportUploader uploader;
    private final TaskScheduler timer;
    private final ExponentialBackoff backoff;
    private final Listener listener;
    private final byte[] compressed;
    private Instant firstAttempt;
    private int unfinished;
    private boolean settled;

    ReportDelivery(TlsReport report, List<ReportUri> destinations, ReportMailer mailer, ReportUploader uploader,
                   TaskScheduler timer, ExponentialBackoff backoff, Listener listener) {
        this.report = report;
        this.destinations = List.copyOf(destinations);
        this.mailer = mailer;
        this.uploader = uploader;
        this.timer = timer;
        this.backoff = backoff;
        this.listener = listener;
        this.compressed = ReportJson.gzip(report);
    }

    void start() {
        firstAttempt = timer.now();
        unfinished = destinations.size();
        destinations.forEach(destination -> attempt(destination, 1));
    }

    private void attempt(ReportUri destination, int number) {
        Optional<String> failure = send(destination);
        if (failure.isEmpty()) {
            LOGGER.info("TLS-RPT report {} delivered to {}", report.reportId(), destination);
            settle(true);
            finished();
            return;
        }
        Optional<Instant> retry = backoff.retryAt(firstAttempt, number, timer.now());
        if (retry.isPresent()) {
            LOGGER.info("TLS-RPT report {} not delivered to {} (attempt {}: {}); retrying at {}",
                report.reportId(), destination, number, failure.get(), retry.get());
            timer.schedule(retry.get(), () -> attempt(destination, number + 1));
        } else {
            LOGGER.warn("TLS-RPT report {} not delivered to {} after {} attempts ({}); giving up on it",
                report.reportId(), destination, number, failure.get());
            finished();
        }
    }

    /** @return empty on success, else why it failed */
    private Optional<String> send(ReportUri destination) {
        try {
            if (destination.scheme() == ReportUri.Scheme.MAILTO) {
                mailer.send(report.contactInfo(), destination.mailbox(),
                    ReportMessage.create(report, destination.mailbox(), timer.now()));
                return Optional.empty();
            }
            // RFC 8460 §5.4: the receiver answers a successful POST with a 2xx code, typically 200 or 201.
            int status = uploader.post(destination.uri(), ReportJson.GZIP_MEDIA_TYPE, compressed);
            return status >= 200 && status < 300 ? Optional.empty() : Optional.of("HTTP status " + status);
        } catch (MessagingException | IOException | RuntimeException e) {
            return Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void finished() {
        unfinished--;
        if (unfinished == 0 && !settled) {
            LOGGER.warn("TLS-RPT report {} reached none of {}; dropped", report.reportId(), destinations);
            settle(false);
        }
    }

    private void settle(boolean delivered) {
        if (!settled) {
            settled = true;
            listener.settled(report, delivered);
        }
    }
}

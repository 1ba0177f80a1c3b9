package io.github.jamesmtasts.james.owndomains;

import io.github.jamesmtasts.tlsrpt.receiving.IntakeResult;
import io.github.jamesmtasts.tlsrpt.receiving.ReportIntake;
import org.apache.james.core.MailAddress;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Attribute;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetException;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.inject.Inject;
import javax.mail.BodyPart;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.internet.ContentType;
import javax.mail.internet.ParseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a TLS-RPT report mailed to a James domain (RFC 8460 §5.3: a {@code multipart/report} of
 * {@code report-type=tlsrpt} whose report part is {@code application/tlsrpt+gzip} or {@code application/tlsrpt+json})
 * and hands it to the extension's {@link ReportIntake}, which validates, deduplicates and keeps it. The mail is
 * consumed either way; a mail whose report is refused (not a report, not gzip, too large, invalid, for a domain
 * James does not host) is kept in {@code rejectedRepository} ({@code file://var/mail/tlsrpt-rejected/} by
 * default) with the reason in the {@code tlsrpt-rejected} attribute, so that nothing is lost and nothing
 * grows without bound but that repository, which an admin empties through WebAdmin.
 */
public final class TlsRptReportReceiver extends GenericMailet {
    static final String REJECTED_REPOSITORY = "rejectedRepository";
    static final AttributeName REJECTION = AttributeName.of("tlsrpt-rejected");
    private static final Logger LOG = LoggerFactory.getLogger(TlsRptReportReceiver.class);
    private static final String REPORT_PREFIX = "application/tlsrpt+";

    private final MailRepositoryStore repositories;
    private final Optional<ReportIntake> intake;
    private final OwnDomainSettings settings;
    private MailRepository rejected;

    @Inject
    public TlsRptReportReceiver(MailRepositoryStore repositories, Optional<ReportIntake> intake, OwnDomainSettings settings) {
        this.repositories = repositories;
        this.intake = intake;
        this.settings = settings;
    }

    @Override
    public void init() throws MessagingException {
        String url = getInitParameter(REJECTED_REPOSITORY, "file://var/mail/tlsrpt-rejected/");
        try {
            rejected = repositories.select(MailRepositoryUrl.from(url));
        } catch (MailRepositoryStore.MailRepositoryStoreException | IllegalArgumentException e) {
            throw new MailetException(REJECTED_REPOSITORY + " is no mail repository: " + url, e);
        }
        if (intake.isEmpty()) {
            LOG.warn("TLS-RPT reports to James's domains are not read (received.enabled=false in conf/mta-sts.properties): "
                + "mails to {}@<domain> are kept in {}", settings.reportLocalPart(), url);
        }
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        String reason;
        if (intake.isEmpty()) {
            reason = "reports are not read (received.enabled=false)";
        } else {
            IntakeResult result = read(mail);
            reason = result.isSuccess() ? null : result.toString();
        }
        if (reason != null) {
            mail.setAttribute(new Attribute(REJECTION, AttributeValue.of(reason)));
            rejected.store(mail);
            LOG.info("TLS-RPT report mail {} from {} kept in {}: {}", mail.getName(),
                mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse("<>"), rejected, reason);
        }
        mail.setState(Mail.GHOST);
    }

    /** RFC 8460 §5.3: the first part of a report media type, at any depth; the message's own type without one. */
    private IntakeResult read(Mail mail) throws MessagingException {
        try {
            Optional<Part> report = reportPart(mail.getMessage());
            Part part = report.orElse(mail.getMessage());
            byte[] body = report.isPresent() ? limited(part) : new byte[0];
            return intake.orElseThrow().receive(baseType(part.getContentType()), body);
        } catch (IOException e) {
            throw new MessagingException("cannot read the report of " + mail.getName(), e);
        }
    }

    private static Optional<Part> reportPart(Part part) throws MessagingException, IOException {
        if (baseType(part.getContentType()).startsWith(REPORT_PREFIX)) {
            return Optional.of(part);
        }
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                Optional<Part> found = reportPart(child);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The decoded part, up to a buffer beyond the limit, so that the intake sees it is too large. Read to the end
     * of the stream: javax.mail's base64 decoder may return 0 bytes from a read, which ends {@code readNBytes}.
     */
    private byte[] limited(Part part) throws MessagingException, IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (InputStream in = part.getInputStream()) {
            for (int read = in.read(buffer); read >= 0 && body.size() <= settings.maxReportBytes(); read = in.read(buffer)) {
                body.write(buffer, 0, read);
            }
        }
        return body.toByteArray();
    }

    private static String baseType(String contentType) {
        if (contentType == null) {
            return "text/plain";
        }
        try {
            return new ContentType(contentType).getBaseType().toLowerCase(Locale.ROOT);
        } catch (ParseException e) {
            return contentType.toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public String getMailetInfo() {
        return "TLS-RPT report reader (RFC 8460)";
    }
}

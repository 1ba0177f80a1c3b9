package io.github.jamesmtasts.tlsrpt.sending;

import javax.activation.DataHandler;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;

/**
 * The e-mail that carries a report (RFC 8460 §5.3): {@code multipart/report; report-type="tlsrpt"}
 * with a human-readable part and the gzip-compressed report as an {@code application/tlsrpt+gzip}
 * attachment named per §5.1, the {@code TLS-Report-Domain} and {@code TLS-Report-Submitter} header
 * fields and the subject of §5.3.
 *
 * <p>It also carries {@code TLS-Required: No} (RFC 8689 §5) because §5.3.1 wants reports delivered
 * despite MTA-STS failures. Delivery recognises a report by its {@value #REPORT_DOMAIN_HEADER} header
 * and neither enforces TLS for it nor counts its session in later reports (RFC 8460 §3), so reports
 * never report on each other. The DKIM signature §3 requires is added by James's pipeline
 * ({@code DKIMSign}), configured to cover the {@code TLS-Report-*} fields and to use no {@code l=}.
 */
public final class ReportMessage {
    /** RFC 8460 §5.3. */
    public static final String REPORT_DOMAIN_HEADER = "TLS-Report-Domain";
    /** RFC 8460 §5.3. */
    public static final String REPORT_SUBMITTER_HEADER = "TLS-Report-Submitter";
    /** RFC 8689 §5. */
    public static final String TLS_REQUIRED_HEADER = "TLS-Required";

    private ReportMessage() {
    }

    /** The report mail to one {@code mailto:} destination, dated {@code date}. */
    public static MimeMessage create(TlsReport report, String recipient, Instant date) throws MessagingException {
        MimeMessage message = new ReportMimeMessage(report.reportId());
        message.setFrom(new InternetAddress(report.contactInfo()));
        message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(recipient));
        message.setSentDate(Date.from(date));
        message.setSubject(subject(report), "US-ASCII");
        message.setHeader(REPORT_DOMAIN_HEADER, report.policyDomain());
        message.setHeader(REPORT_SUBMITTER_HEADER, report.submitter());
        message.setHeader(TLS_REQUIRED_HEADER, "No");

        MimeMultipart content = new MimeMultipart("report; report-type=\"tlsrpt\"");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(summary(report), "us-ascii");
        text.setHeader("Content-Transfer-Encoding", "7bit");
        content.addBodyPart(text);
        content.addBodyPart(attachment(report));
        message.setContent(content);
        message.saveChanges();
        return message;
    }

    /**
     * RFC 8460 §5.3: {@code Report Domain: <domain> Submitter: <submitter> Report-ID: <id>}, the report
     * id in {@code "<" id-left "@" id-right ">"} form.
     */
    public static String subject(TlsReport report) {
        return subject(report.policyDomain(), report.submitter(), report.reportId());
    }

    static String subject(String policyDomain, String submitter, String reportId) {
        return "Report Domain: " + policyDomain + " Submitter: " + submitter + " Report-ID: <" + reportId + ">";
    }

    private static MimeBodyPart attachment(TlsReport report) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(ReportJson.gzip(report), ReportJson.GZIP_MEDIA_TYPE)));
        // Header fields set whole, so that the §5.1 file name stays one parameter (no RFC 2231 splitting).
        part.setHeader("Content-Type", ReportJson.GZIP_MEDIA_TYPE);
        part.setHeader("Content-Transfer-Encoding", "base64");
        part.setHeader("Content-Disposition", "attachment; filename=\"" + report.fileName() + "\"");
        return part;
    }

    private static String summary(TlsReport report) {
        return "This is an aggregate TLS report (RFC 8460) from " + report.organizationName() + " (" + report.submitter()
            + ") for " + report.policyDomain() + ",\r\ncovering " + report.period().start() + " to "
            + report.period().lastSecond() + ": " + report.totalSuccessful() + " successful and " + report.totalFailures()
            + " failed TLS sessions.\r\nThe report is in the attachment " + report.fileName() + ".\r\n";
    }

    /** A message whose Message-ID is the report id, so that resending the same report repeats it. */
    private static final class ReportMimeMessage extends MimeMessage {
        private final String reportId;

        ReportMimeMessage(String reportId) {
            super(Session.getInstance(new Properties()));
            this.reportId = reportId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", "<" + reportId + ">");
        }
    }
}

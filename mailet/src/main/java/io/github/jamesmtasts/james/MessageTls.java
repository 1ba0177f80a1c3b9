package io.github.jamesmtasts.james;

import io.github.jamesmtasts.delivery.TlsRequirement;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.Mail;

import javax.mail.MessagingException;
import java.util.Arrays;
import java.util.Locale;

/** What a James {@link Mail} asks of TLS (RFC 8689), and whether it is a TLS-RPT report (RFC 8460). */
final class MessageTls {
    /**
     * RFC 8689 §4.1: set to {@code true} by the SMTP hooks of this project on mail received with
     * {@code MAIL FROM ... REQUIRETLS}.
     */
    static final AttributeName REQUIRETLS = AttributeName.of("io.github.jamesmtasts.requiretls");
    /** RFC 8689 §5. */
    static final String TLS_REQUIRED_HEADER = "TLS-Required";
    /**
     * Set to {@code true} on the TLS-RPT report mails this server makes itself ({@link MailetContextReportMailer}).
     * An attribute, not the {@code TLS-Report-Domain} header: anybody can write the header into a message.
     */
    static final AttributeName TLS_REPORT = AttributeName.of("io.github.jamesmtasts.tlsrpt-report");

    private MessageTls() {
    }

    /** REQUIRETLS wins; else {@code TLS-Required: No} (case-insensitive); else the policy decides. */
    static TlsRequirement requirement(Mail mail) throws MessagingException {
        if (AttributeUtils.getValueAndCastFromMail(mail, REQUIRETLS, Boolean.class).orElse(false)) {
            // RFC 8689 §5: with REQUIRETLS the TLS-Required header field is ignored.
            return TlsRequirement.REQUIRETLS;
        }
        String[] values = mail.getMessage().getHeader(TLS_REQUIRED_HEADER);
        boolean waived = values != null && Arrays.stream(values).anyMatch(value -> "no".equals(value.trim().toLowerCase(Locale.ROOT)));
        return waived ? TlsRequirement.NOT_REQUIRED : TlsRequirement.DEFAULT;
    }

    /** RFC 8460 §5.3.1: the delivery of a report this server made is not itself reported. */
    static boolean isTlsReport(Mail mail) {
        return AttributeUtils.getValueAndCastFromMail(mail, TLS_REPORT, Boolean.class).orElse(false);
    }
}

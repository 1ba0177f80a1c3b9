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
    /** RFC 8460 §5.3: every report carries it. */
    static final String TLS_REPORT_DOMAIN_HEADER = "TLS-Report-Domain";

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

    /** RFC 8460 §5.3.1: the delivery of a report is not itself reported. */
    static boolean isTlsReport(Mail mail) throws MessagingException {
        return mail.getMessage().getHeader(TLS_REPORT_DOMAIN_HEADER) != null;
    }
}

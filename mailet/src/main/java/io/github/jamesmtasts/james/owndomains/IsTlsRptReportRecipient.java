package io.github.jamesmtasts.james.owndomains;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

import javax.inject.Inject;
import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Matches the recipients that are the mail {@code rua} of a James domain (RFC 8460 §3): the local part of
 * {@code received.localPart} ({@code tlsrpt} by default) at any domain James hosts, so that
 * {@link TlsRptReportReceiver} reads the reports other senders send about it.
 */
public final class IsTlsRptReportRecipient extends GenericMatcher {
    private final String localPart;

    @Inject
    public IsTlsRptReportRecipient(OwnDomainSettings settings) {
        this.localPart = settings.reportLocalPart().toLowerCase(Locale.ROOT);
    }

    @Override
    public Collection<MailAddress> match(Mail mail) {
        return mail.getRecipients().stream()
            .filter(recipient -> recipient.getLocalPart().toLowerCase(Locale.ROOT).equals(localPart))
            .filter(recipient -> getMailetContext().isLocalServer(recipient.getDomain()))
            .collect(Collectors.toList());
    }
}

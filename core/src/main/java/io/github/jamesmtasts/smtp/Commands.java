package io.github.jamesmtasts.smtp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.handler.codec.smtp.DefaultSmtpRequest;
import io.netty.handler.codec.smtp.SmtpCommand;
import io.netty.handler.codec.smtp.SmtpRequests;
import io.netty.util.AsciiString;

/** Makes the commands of a session, each with the timeout the settings give its step. */
final class Commands {
    // RFC 3207 §4; Netty 4.1.86's SmtpCommand has no constant for it.
    private static final SmtpCommand STARTTLS = SmtpCommand.valueOf("STARTTLS");
    // RFC 3030 §2; neither has Netty 4.1.86.
    private static final SmtpCommand BDAT = SmtpCommand.valueOf("BDAT");

    private final SmtpSettings settings;

    Commands(SmtpSettings settings) {
        this.settings = settings;
    }

    Command ehlo() {
        return new Command(SmtpRequests.ehlo(settings.heloName()), SmtpStep.EHLO, settings.commandTimeout(), "EHLO " + settings.heloName());
    }

    Command helo() {
        return new Command(SmtpRequests.helo(settings.heloName()), SmtpStep.EHLO, settings.commandTimeout(), "HELO " + settings.heloName());
    }

    Command startTls() {
        return new Command(new DefaultSmtpRequest(STARTTLS), SmtpStep.STARTTLS, settings.commandTimeout(), "STARTTLS");
    }

    Command rset() {
        return new Command(SmtpRequests.rset(), SmtpStep.RSET, settings.commandTimeout(), "RSET");
    }

    Command quit() {
        return new Command(SmtpRequests.quit(), SmtpStep.QUIT, settings.commandTimeout(), "QUIT");
    }

    /** {@code MAIL FROM:<sender>} with ESMTP parameters (RFC 5321 §4.1.1.2); the null sender is {@code <>}. */
    Command mail(String sender, List<String> parameters) {
        List<CharSequence> arguments = new ArrayList<>();
        arguments.add(octets("FROM:<" + sender + ">"));
        arguments.addAll(parameters);
        String text = "MAIL FROM:<" + sender + ">" + (parameters.isEmpty() ? "" : " " + String.join(" ", parameters));
        return new Command(new DefaultSmtpRequest(SmtpCommand.MAIL, arguments.toArray(new CharSequence[0])),
            SmtpStep.MAIL, settings.mailTimeout(), text);
    }

    Command rcpt(String recipient) {
        return new Command(new DefaultSmtpRequest(SmtpCommand.RCPT, octets("TO:<" + recipient + ">")),
            SmtpStep.RCPT, settings.rcptTimeout(), "RCPT TO:<" + recipient + ">");
    }

    Command data() {
        return new Command(SmtpRequests.data(), SmtpStep.DATA, settings.dataInitiationTimeout(), "DATA");
    }

    /**
     * {@code BDAT <octets> LAST}: the whole message as one chunk (RFC 3030 §2). Its reply is the one to the
     * message, so it waits as long as the reply to the final dot (RFC 5321 §4.5.3.2.6).
     */
    Command lastChunk(long octets) {
        return new Command(new DefaultSmtpRequest(BDAT, Long.toString(octets), "LAST"), SmtpStep.DATA_END,
            settings.dataTerminationTimeout(), "BDAT " + octets + " LAST");
    }

    /**
     * Netty's encoder writes each character of a parameter as one octet; an {@link AsciiString} made
     * of the UTF-8 octets carries an SMTPUTF8 address (RFC 6531 §3.3) through unchanged.
     */
    private static AsciiString octets(String argument) {
        return new AsciiString(argument.getBytes(StandardCharsets.UTF_8), false);
    }
}

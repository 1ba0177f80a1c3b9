package io.github.jamesmtasts.it;

import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/** Hands mail to James's SMTP server on loopback, as a local client relaying without authentication. */
final class Submission {
    static final String TEST_ID = "X-Test-Id";

    private final int port;

    Submission(int port) {
        this.port = port;
    }

    /**
     * Sends a message from {@code sender} to the recipients, with extra header fields; returns the value of
     * its {@code X-Test-Id} header, which identifies it at the MX hosts.
     */
    String send(String sender, Map<String, String> headers, String... recipients) throws MessagingException {
        return send(new Properties(), sender, headers, recipients);
    }

    /**
     * Sends with {@code MAIL FROM:<...> REQUIRETLS} (RFC 8689 §4.1), over STARTTLS when {@code overTls}
     * (James's certificate is the self-signed one run-james.sh made, so any is trusted here).
     */
    String sendRequiringTls(boolean overTls, String sender, String... recipients) throws MessagingException {
        Properties properties = new Properties();
        properties.put("mail.smtp.mailextension", "REQUIRETLS");
        properties.put("mail.smtp.starttls.enable", String.valueOf(overTls));
        properties.put("mail.smtp.starttls.required", String.valueOf(overTls));
        properties.put("mail.smtp.ssl.trust", "*");
        return send(properties, sender, Map.of(), recipients);
    }

    private String send(Properties properties, String sender, Map<String, String> headers, String... recipients)
        throws MessagingException {
        properties.put("mail.smtp.host", "127.0.0.1");
        properties.put("mail.smtp.port", String.valueOf(port));
        properties.put("mail.smtp.from", sender);
        properties.put("mail.smtp.localhost", "client.test");
        properties.put("mail.smtp.connectiontimeout", "10000");
        properties.put("mail.smtp.timeout", "30000");
        Session session = Session.getInstance(properties);
        MimeMessage message = new MimeMessage(session);
        String testId = UUID.randomUUID().toString();
        message.setFrom(new InternetAddress(sender));
        for (String recipient : recipients) {
            message.addRecipient(Message.RecipientType.TO, new InternetAddress(recipient));
        }
        message.setSubject("MTA-STS test");
        message.setText("Hello over MTA-STS.\r\n");
        for (Map.Entry<String, String> header : headers.entrySet()) {
            message.addHeader(header.getKey(), header.getValue());
        }
        message.setHeader(TEST_ID, testId);
        Transport.send(message);
        return testId;
    }

    String send(String sender, String... recipients) throws MessagingException {
        return send(sender, Map.of(), recipients);
    }
}

package io.github.jamesmtasts.hooks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.james.GuiceJamesServer;
import org.apache.james.MemoryJamesConfiguration;
import org.apache.james.MemoryJamesServerMain;
import org.apache.james.data.UsersRepositoryModuleChooser;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.modules.protocols.SmtpGuiceProbe;
import org.apache.james.utils.GuiceProbe;
import org.apache.james.utils.MailRepositoryProbeImpl;
import org.apache.mailet.Mail;

import com.google.inject.multibindings.Multibinder;

import io.github.jamesmtasts.testkit.LoopbackAddresses;
import io.github.jamesmtasts.testkit.TestCa;

/**
 * A James 3.8.1 memory server running in the test JVM, configured from {@code james-home/conf/} on the test
 * classpath: one STARTTLS SMTP server on a random loopback port with the REQUIRETLS hooks, DNS pointed at a loopback
 * address, and every received mail stored in {@link #RECEIVED}.
 */
final class JamesWithHooks implements AutoCloseable {
    static final MailRepositoryUrl RECEIVED = MailRepositoryUrl.from("memory://var/mail/received/");
    /** The name the SMTP server's certificate is issued for. */
    static final String SERVER_NAME = "localhost";

    private static final List<String> CONF_FILES =
        List.of("smtpserver.xml", "mailetcontainer.xml", "dnsservice.xml", "domainlist.xml", "jmx.properties");
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

    private final GuiceJamesServer server;

    private JamesWithHooks(GuiceJamesServer server) {
        this.server = server;
    }

    /** Writes the configuration and a key store issued by {@code ca} under {@code home/conf}, then boots James. */
    static JamesWithHooks start(Path home, TestCa ca) throws Exception {
        Path conf = Files.createDirectories(home.resolve("conf"));
        String dnsServer = LoopbackAddresses.next().getHostAddress();
        for (String name : CONF_FILES) {
            Files.writeString(conf.resolve(name), resource("james-home/conf/" + name).replace("${dnsServer}", dnsServer));
        }
        ca.issue(SERVER_NAME).writeKeyStore(conf.resolve("keystore"));

        MemoryJamesConfiguration configuration = MemoryJamesConfiguration.builder()
            .workingDirectory(home.toFile())
            .usersRepository(UsersRepositoryModuleChooser.Implementation.DEFAULT)
            .build();
        GuiceJamesServer server = MemoryJamesServerMain.createServer(configuration)
            .combineWith(binder -> Multibinder.newSetBinder(binder, GuiceProbe.class)
                .addBinding().to(MailRepositoryProbeImpl.class));
        server.start();
        return new JamesWithHooks(server);
    }

    InetSocketAddress smtpAddress() {
        return new InetSocketAddress("127.0.0.1", server.getProbe(SmtpGuiceProbe.class).getSmtpPort().getValue());
    }

    /** Waits until James has stored the mail with this subject, and returns it. */
    Mail awaitReceived(String subject) throws Exception {
        Instant deadline = Instant.now().plus(DELIVERY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            Optional<Mail> mail = findReceived(subject);
            if (mail.isPresent()) {
                return mail.get();
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
        throw new AssertionError("James stored no mail with subject " + subject + " within " + DELIVERY_TIMEOUT);
    }

    private Optional<Mail> findReceived(String subject) throws Exception {
        MailRepositoryProbeImpl repositories = server.getProbe(MailRepositoryProbeImpl.class);
        for (MailKey key : repositories.listMailKeys(RECEIVED)) {
            Mail mail = repositories.getMail(RECEIVED, key);
            if (subject.equals(subjectOf(mail))) {
                return Optional.of(mail);
            }
        }
        return Optional.empty();
    }

    private static String subjectOf(Mail mail) throws MessagingException {
        return mail.getMessage().getSubject();
    }

    private static String resource(String name) {
        try (InputStream in = JamesWithHooks.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}

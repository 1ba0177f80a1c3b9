package io.github.jamesmtasts.james;

import io.github.jamesmtasts.delivery.Enforcement;
import io.github.jamesmtasts.delivery.EnforcementMode;
import io.github.jamesmtasts.delivery.Fakes;
import io.github.jamesmtasts.dns.MxHost;
import io.github.jamesmtasts.mtasts.Mode;
import io.github.jamesmtasts.result.Failure;
import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.smtp.SessionOutcome;
import io.github.jamesmtasts.smtp.TlsStance;
import io.github.jamesmtasts.state.NodeName;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryPath;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.mailrepository.api.Protocol;
import org.apache.james.mailrepository.memory.MemoryMailRepository;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.mail.MessagingException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The mailet over James's real memory mail repository, with fake DNS, policies and SMTP. */
class MtaStsRemoteDeliveryTest {
    private static final String DOMAIN = "example.com";

    private final HandingOut repository = new HandingOut(new MemoryMailRepository());
    private final Fakes.Policies policies = new Fakes.Policies();
    private final Fakes.Directory dns = new Fakes.Directory()
        .mx(DOMAIN, new MxHost("mx1.example.com", 10))
        .host("mx1.example.com", "127.0.0.11");
    private final Fakes.Smtp smtp = new Fakes.Smtp();
    private final Fakes.Sink sink = new Fakes.Sink();
    private final Enforcement enforcement = new Enforcement(EnforcementMode.ENFORCE, Clock.systemUTC());
    private final FakeMailContext context = FakeMailContext.defaultContext();
    private final RecordingMetricFactory metrics = new RecordingMetricFactory();
    private final List<MtaStsRemoteDelivery> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(MtaStsRemoteDelivery::destroy);
    }

    private MtaStsRemoteDelivery start(String... parameters) throws MessagingException {
        return start(context, parameters);
    }

    private MtaStsRemoteDelivery start(FailingOnce failing, String... parameters) throws MessagingException {
        return start(failing.context(), parameters);
    }

    private MtaStsRemoteDelivery start(MailetContext mailetContext, String... parameters) throws MessagingException {
        MtaStsRemoteDelivery mailet = new MtaStsRemoteDelivery(new SingleRepositoryStore(repository), dns, policies,
            enforcement, sink, settings -> smtp, new MtaStsMetrics(metrics), DeliveryClaims.alone(NodeName.of("james-test")));
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("relay").mailetContext(mailetContext)
            .setProperty("heloName", "james.sender.test");
        for (int i = 0; i < parameters.length; i += 2) {
            config.setProperty(parameters[i], parameters[i + 1]);
        }
        mailet.init(config.build());
        started.add(mailet);
        return mailet;
    }

    private static Mail mail(String name, MimeMessageBuilder message, String... recipients) throws MessagingException {
        return MailImpl.builder().name(name).sender("alice@sender.test").addRecipients(recipients)
            .mimeMessage(message.setSubject("hello").setText("hi")).build();
    }

    private static Mail mail(String name, String... recipients) throws MessagingException {
        return mail(name, MimeMessageBuilder.mimeMessageBuilder(), recipients);
    }

    /** Polls until the workers have got there; fails after 20 seconds. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in time");
            }
            Thread.sleep(10);
        }
    }

    private long waiting() {
        try {
            return repository.size();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The mails in the repository, copies the caller disposes of. */
    private List<Mail> inRepository() throws MessagingException {
        List<Mail> mails = new ArrayList<>();
        for (java.util.Iterator<org.apache.james.mailrepository.api.MailKey> keys = repository.list(); keys.hasNext(); ) {
            mails.add(repository.retrieve(keys.next()));
        }
        return mails;
    }

    @Test
    void theMailWaitsInTheRepositoryUntilDeliveredAndItsProcessingEnds() throws Exception {
        MtaStsRemoteDelivery mailet = start();
        Mail mail = mail("m1", "bob@example.com");

        mailet.service(mail);

        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        await(() -> smtp.sessions.size() == 1);
        assertThat(smtp.sessions.get(0).envelope().sender()).isEqualTo("alice@sender.test");
        assertThat(smtp.sessions.get(0).envelope().recipients()).containsExactly("bob@example.com");
        await(() -> waiting() == 0);
        assertThat(context.getSentMails()).isEmpty();
        await(() -> metrics.countFor("mtasts_deliveries_opportunistic_delivered") == 1);
    }

    @Test
    void aNewMailIsDeliveredFromItsCopyInHandWhichIsDisposedOfAndTheRepositoryIsNotReadBack() throws Exception {
        MtaStsRemoteDelivery mailet = start();
        List<Mail> copies = new CopyOnWriteArrayList<>();

        mailet.service(recordingCopies(mail("m1", "bob@example.com"), copies));

        await(() -> waiting() == 0 && lastCopyDisposed(copies));
        assertThat(smtp.sessions).hasSize(1);
        assertThat(repository.handedOut).isEmpty();
    }

    @Test
    void theRepositorysCopyOfAMailFoundAtStartIsDisposedOfOnceDelivered() throws Exception {
        repository.store(mail("m1", "bob@example.com"));

        start();

        await(() -> waiting() == 0 && !repository.handedOut.isEmpty() && repository.handedOut.stream().allMatch(
            MtaStsRemoteDeliveryTest::disposed));
        assertThat(smtp.sessions).hasSize(1);
    }

    @Test
    void theCopyOfADeferredMailIsDisposedOfAndTheRepositoryKeepsItsOwn() throws Exception {
        smtp.script("mx1.example.com", TlsStance.OPPORTUNISTIC, envelope -> Fakes.completed(envelope, recipient ->
            Fakes.reply(451, "4.2.0", "later")));
        MtaStsRemoteDelivery mailet = start("delayTime", "1 hour");
        List<Mail> copies = new CopyOnWriteArrayList<>();

        mailet.service(recordingCopies(mail("m1", "busy@example.com"), copies));

        await(() -> smtp.sessions.size() == 1 && lastCopyDisposed(copies) && retriesOfTheOnlyMail() == 1);
        assertThat(inRepository()).singleElement().satisfies(deferred -> assertThat(deferred.getMessage().getSubject()).isEqualTo("hello"));
    }

    /** The memory repository keeps a copy of its own; the mailet's is made after it. */
    private static boolean lastCopyDisposed(List<Mail> copies) {
        return copies.size() == 2 && disposed(copies.get(1));
    }

    /** The mail, keeping in {@code copies} each copy made of it (the mailet delivers a new mail from one). */
    private static Mail recordingCopies(Mail mail, List<Mail> copies) {
        return (Mail) Proxy.newProxyInstance(Mail.class.getClassLoader(), new Class<?>[] {Mail.class}, (proxy, method, args) -> {
            try {
                Object result = method.invoke(mail, args);
                if (method.getName().equals("duplicate")) {
                    copies.add((Mail) result);
                }
                return result;
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    private int retriesOfTheOnlyMail() {
        try {
            List<Mail> mails = inRepository();
            return mails.size() == 1 ? RepositoryQueue.retries(mails.get(0)) : -1;
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** James's MailImpl drops its message when disposed of. */
    private static boolean disposed(Mail mail) {
        try {
            return mail.getMessage() == null;
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void mailToRetryWaitsInTheRepositoryWithItsRetryCountAndDueTime() throws Exception {
        smtp.script("mx1.example.com", TlsStance.OPPORTUNISTIC, envelope -> Fakes.completed(envelope, recipient ->
            recipient.startsWith("busy") ? Fakes.reply(451, "4.2.0", "later") : Fakes.reply(250, "2.1.5", "ok")));
        MtaStsRemoteDelivery mailet = start("delayTime", "1 hour");

        mailet.service(mail("m1", "good@example.com", "busy@example.com"));

        await(() -> retriesOfTheOnlyMail() == 1);
        Mail deferred = inRepository().get(0);
        assertThat(deferred.getRecipients()).extracting(Object::toString).containsExactly("busy@example.com");
        assertThat(RepositoryQueue.retries(deferred)).isEqualTo(1);
        Instant due = Instant.ofEpochMilli((Long) deferred.getAttribute(RepositoryQueue.DUE).orElseThrow().getValue().value());
        assertThat(due).isAfter(Instant.now().plus(Duration.ofMinutes(59)));
    }

    @Test
    void aRetryGoesOnlyToTheRecipientsNotYetDelivered() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        smtp.script("mx1.example.com", TlsStance.OPPORTUNISTIC, envelope -> Fakes.completed(envelope, recipient ->
            recipient.startsWith("busy") && attempts.getAndIncrement() == 0 ? Fakes.reply(451, "4.2.0", "later")
                : Fakes.reply(250, "2.1.5", "ok")));
        MtaStsRemoteDelivery mailet = start("delayTime", "50 ms");

        mailet.service(mail("m1", "good@example.com", "busy@example.com"));

        await(() -> smtp.sessions.size() == 2 && waiting() == 0);
        assertThat(smtp.sessions.get(1).envelope().recipients()).containsExactly("busy@example.com");
        assertThat(context.getSentMails()).isEmpty();
    }

    @Test
    void retriesUsedUpReturnTheMailThroughTheBounceProcessorWithJamesAttributes() throws Exception {
        smtp.script("mx1.example.com", TlsStance.OPPORTUNISTIC, envelope -> SessionOutcome.builder(SessionOutcome.Kind.TEMPORARY_FAILURE)
            .reply(Fakes.reply(421, "4.3.2", "closing")).detail("greeting refused").build());
        MtaStsRemoteDelivery mailet = start("delayTime", "50 ms", "maxRetries", "2", "bounceProcessor", "bounces");

        mailet.service(mail("m1", "bob@example.com"));

        await(() -> context.getSentMails().size() == 1);
        assertThat(smtp.sessions).hasSize(3);
        FakeMailContext.SentMail bounce = context.getSentMails().get(0);
        assertThat(bounce.getAttributes()).containsKey(Bounces.RETURNED_FROM).doesNotContainKey(MessageTls.REQUIRETLS);
        assertThat(bounce.getState()).isEqualTo("bounces");
        assertThat(bounce.getRecipients()).extracting(Object::toString).containsExactly("bob@example.com");
        Map<org.apache.mailet.AttributeName, Attribute> attributes = bounce.getAttributes();
        assertThat(attributes.get(Bounces.IS_PERMANENT).getValue()).isEqualTo(AttributeValue.of(true));
        assertThat(attributes.get(Bounces.DELIVERY_ERROR_CODE).getValue()).isEqualTo(AttributeValue.of(421));
        assertThat((String) attributes.get(Bounces.DELIVERY_ERROR).getValue().value()).startsWith("421 5.3.2 ").contains("closing");
        assertThat(mailet.requiredProcessingState()).extracting(Object::toString).anyMatch(state -> state.contains("bounces"));
    }

    @Test
    void aMailWithheldByMtaStsIsReturnedWithTheMtaStsReasonAfterItsRetries() throws Exception {
        policies.current.put(DOMAIN, Fakes.found(DOMAIN, "id1", Fakes.policy(Mode.ENFORCE, "mx1.example.com")));
        smtp.tlsFailure("mx1.example.com", Failure.of(ResultType.CERTIFICATE_EXPIRED, "certificate expired"));
        MtaStsRemoteDelivery mailet = start("delayTime", "50 ms", "maxRetries", "1", "bounceProcessor", "bounces");

        mailet.service(mail("m1", "bob@example.com"));

        await(() -> context.getSentMails().size() == 1);
        assertThat(smtp.hostsTried()).containsOnly("mx1.example.com/VERIFIED").hasSize(2);
        assertThat(policies.rechecked).hasSize(2);
        String error = (String) context.getSentMails().get(0).getAttributes().get(Bounces.DELIVERY_ERROR).getValue().value();
        assertThat(error).startsWith("5.7.5 MTA-STS certificate-expired: ");
        assertThat(context.getSentMails().get(0).getAttributes()).doesNotContainKey(Bounces.DELIVERY_ERROR_CODE);
        // Each attempt counts: both were deferred; the retry schedule then returned the mail.
        assertThat(metrics.countFor("mtasts_deferrals_certificate_expired")).isEqualTo(2);
        assertThat(metrics.countFor("mtasts_deliveries_enforce_retry")).isEqualTo(2);
        assertThat(metrics.countFor("mtasts_policy_lookups_policy")).isEqualTo(2);
    }

    @Test
    void withoutBounceProcessorJamesBouncesWithAnExplanation() throws Exception {
        smtp.script("mx1.example.com", TlsStance.OPPORTUNISTIC, envelope -> Fakes.completed(envelope, recipient ->
            recipient.startsWith("bad") ? Fakes.reply(550, "5.1.1", "no such user") : Fakes.reply(250, "2.1.5", "ok")));
        MtaStsRemoteDelivery mailet = start();

        mailet.service(mail("m1", "good@example.com", "bad@example.com"));

        await(() -> context.getBouncedMails().size() == 1);
        FakeMailContext.BouncedMail bounce = context.getBouncedMails().get(0);
        assertThat(bounce.getSentMail().getRecipients()).extracting(Object::toString).containsExactly("bad@example.com");
        assertThat(bounce.getMessage()).contains("bad@example.com", "Status: 5.1.1", "550 no such user");
        // Only the returned copy stays, until its DSN is under way (here it never comes back: it is dropped later).
        await(() -> waiting() == 1);
        assertThat(inRepository()).singleElement().satisfies(kept -> assertThat(Bounces.isReturnedCopy(kept)).isTrue());
    }

    @Test
    void deferredMailSurvivesARestartOfTheMailet() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        smtp.script("mx1.example.com", TlsStance.OPPORTUNISTIC, envelope -> attempts.getAndIncrement() == 0
            ? SessionOutcome.builder(SessionOutcome.Kind.NETWORK_FAILURE).detail("refused").build()
            : Fakes.deliverAll(envelope));
        MtaStsRemoteDelivery first = start("delayTime", "1 s");
        first.service(mail("m1", "bob@example.com"));
        await(() -> waiting() == 1);
        first.destroy();
        started.remove(first);

        start("delayTime", "1 s");

        await(() -> smtp.sessions.size() == 2 && waiting() == 0);
        assertThat(smtp.sessions.get(1).envelope().recipients()).containsExactly("bob@example.com");
    }

    @Test
    void tlsRequiredNoWaivesThePolicyAndOurOwnReportsAreNotReported() throws Exception {
        policies.current.put(DOMAIN, Fakes.found(DOMAIN, "id1", Fakes.policy(Mode.ENFORCE, "mx1.example.com")));
        MtaStsRemoteDelivery mailet = start();

        mailet.service(mail("m1", MimeMessageBuilder.mimeMessageBuilder().addHeader("TLS-Required", "No"), "bob@example.com"));
        Mail report = mail("m2", MimeMessageBuilder.mimeMessageBuilder().addHeader("TLS-Report-Domain", "sender.test"),
            "tlsrpt@example.com");
        report.setAttribute(new Attribute(MessageTls.TLS_REPORT, AttributeValue.of(true)));
        mailet.service(report);

        await(() -> smtp.sessions.size() == 2);
        assertThat(smtp.sessions).filteredOn(session -> session.envelope().recipients().contains("bob@example.com"))
            .singleElement().satisfies(session -> assertThat(session.stance()).isEqualTo(TlsStance.OPPORTUNISTIC));
        assertThat(smtp.sessions).filteredOn(session -> session.envelope().recipients().contains("tlsrpt@example.com"))
            .singleElement().satisfies(session -> assertThat(session.stance()).isEqualTo(TlsStance.VERIFIED));
        assertThat(sink.results).isEmpty();
    }

    @Test
    void aMailReceivedWithRequireTlsAsksTheNextHopForIt() throws Exception {
        policies.current.put(DOMAIN, Fakes.found(DOMAIN, "id1", Fakes.policy(Mode.ENFORCE, "mx1.example.com")));
        MtaStsRemoteDelivery mailet = start();
        Mail mail = mail("m1", "bob@example.com");
        mail.setAttribute(new Attribute(MessageTls.REQUIRETLS, AttributeValue.of(true)));

        mailet.service(mail);

        await(() -> smtp.sessions.size() == 1);
        assertThat(smtp.sessions.get(0).envelope().requireTls()).isTrue();
    }

    @Test
    void aMessageCarryingATlsReportHeaderIsCountedUnlessThisServerMadeIt() throws Exception {
        MtaStsRemoteDelivery mailet = start();

        mailet.service(mail("m1", MimeMessageBuilder.mimeMessageBuilder().addHeader("TLS-Report-Domain", "sender.test"),
            "bob@example.com"));

        await(() -> sink.results.size() == 1);
    }

    @Test
    void aMailKeptByAnEarlierRunIsDeliveredAtStart() throws Exception {
        Mail earlier = mail("m1", "bob@example.com");
        earlier.setAttribute(new Attribute(RepositoryQueue.DUE, AttributeValue.of(0L)));
        repository.store(earlier);

        start();

        await(() -> smtp.sessions.size() == 1 && waiting() == 0);
    }

    @Test
    void aReturnThatCannotBeHandedToJamesIsTriedAgainRatherThanLost() throws Exception {
        smtp.script("mx1.example.com", TlsStance.OPPORTUNISTIC, envelope -> Fakes.completed(envelope, recipient ->
            Fakes.reply(550, "5.1.1", "no such user")));
        FailingOnce failing = new FailingOnce();
        MtaStsRemoteDelivery mailet = start(failing, "delayTime", "50 ms", "bounceProcessor", "bounces");

        mailet.service(mail("m1", "bad@example.com"));

        await(() -> failing.sent.size() == 1);
        assertThat(failing.handOvers).isEqualTo(2);
        await(() -> waiting() == 1);
        assertThat(smtp.sessions).hasSize(2);
        assertThat(failing.sent.get(0).getRecipients()).extracting(Object::toString).containsExactly("bad@example.com");
    }

    /**
     * James sets up the queue behind {@code sendMail} only after every mailet's init: a returned copy found at start
     * (a crash before its DSN was under way) must not be handed over from init, where it fails and stops James
     * (seen in CrashIT), but once James runs, again until it goes.
     */
    @Test
    void aReturnedCopyFoundAtStartIsHandedOverOnceJamesRunsNotFromInit() throws Exception {
        smtp.script("mx1.example.com", TlsStance.OPPORTUNISTIC, envelope -> Fakes.completed(envelope, recipient ->
            Fakes.reply(550, "5.1.1", "no such user")));
        MtaStsRemoteDelivery first = start("bounceProcessor", "bounces");
        first.service(mail("m1", "bad@example.com"));
        await(() -> context.getSentMails().size() == 1 && waiting() == 1);
        first.destroy();
        started.remove(first);
        FailingOnce failing = new FailingOnce();

        start(failing, "bounceProcessor", "bounces");

        await(() -> failing.sent.size() == 1);
        assertThat(failing.handOvers).isEqualTo(2);
        assertThat(failing.sent.get(0).getAttribute(Bounces.RETURNED_FROM)).isPresent();
        assertThat(failing.sent.get(0).getRecipients()).extracting(Object::toString).containsExactly("bad@example.com");
    }

    @Test
    void theReturnOfARequireTlsMessageGoesWithoutRequireTlsAndWithTheHeadersOnly() throws Exception {
        MtaStsRemoteDelivery mailet = start("bounceProcessor", "bounces");
        Mail mail = mail("m1", "bob@example.com");
        mail.setAttribute(new Attribute(MessageTls.REQUIRETLS, AttributeValue.of(true)));

        mailet.service(mail);

        // example.com has no enforce policy: RFC 8689 §4.2.1, returned at once with 5.7.30.
        await(() -> context.getSentMails().size() == 1);
        FakeMailContext.SentMail returned = context.getSentMails().get(0);
        assertThat(returned.getAttributes()).doesNotContainKey(MessageTls.REQUIRETLS);
        assertThat((String) returned.getAttributes().get(Bounces.DELIVERY_ERROR).getValue().value()).contains("5.7.30");
        assertThat(returned.getMsg().getSubject()).isEqualTo("hello");
        assertThat(new String(returned.getMsg().getRawInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
        assertThat(DsnParameters.fromAttributeValue(DsnParameters.DsnAttributeValues.extract(returned.getAttributes()))
            .flatMap(DsnParameters::getRetParameter)).contains(DsnParameters.Ret.HDRS);
    }

    @Test
    void theDsnOfAReturnedCopyLetsTheCopyGo() throws Exception {
        smtp.script("mx1.example.com", TlsStance.OPPORTUNISTIC, envelope -> Fakes.completed(envelope, recipient ->
            recipient.startsWith("bad") ? Fakes.reply(550, "5.1.1", "no such user") : Fakes.reply(250, "2.1.5", "ok")));
        MtaStsRemoteDelivery mailet = start("bounceProcessor", "bounces");
        mailet.service(mail("m1", "bad@example.com"));
        await(() -> context.getSentMails().size() == 1 && waiting() == 1);
        String kept = (String) context.getSentMails().get(0).getAttributes().get(Bounces.RETURNED_FROM).getValue().value();

        // The DSN (James copies the attributes of the returned copy onto it) comes back for the remote sender.
        Mail dsn = MailImpl.builder().name("dsn").addRecipient("alice@example.com")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject("Delivery failure").setText("sorry"))
            .addAttribute(new Attribute(Bounces.RETURNED_FROM, AttributeValue.of(kept))).build();
        mailet.service(dsn);

        await(() -> waiting() == 0);
        assertThat(smtp.sessions).extracting(session -> session.envelope().recipients()).contains(List.of("alice@example.com"));
    }

    @Test
    void theEnforcementParameterSetsTheSharedSwitch() throws Exception {
        start("enforcement", "report-only");

        assertThat(enforcement.global()).isEqualTo(EnforcementMode.REPORT_ONLY);
    }

    @Test
    void anAdminChoiceOfTheSwitchWinsOverTheParameter() throws Exception {
        enforcement.setGlobal(EnforcementMode.OFF);

        start("enforcement", "report-only");

        assertThat(enforcement.global()).isEqualTo(EnforcementMode.OFF);
    }

    @Test
    void aParameterThatWouldBeSilentlyIgnoredStopsTheMailet() {
        assertThatThrownBy(() -> start("gateway", "smarthost.example.net")).isInstanceOf(MessagingException.class)
            .hasMessageContaining("gateway");
        assertThatThrownBy(() -> start("enforcement", "strict")).isInstanceOf(MessagingException.class);
        assertThatThrownBy(() -> start("delayTime", "soon")).isInstanceOf(MessagingException.class);
    }

    @Test
    void chunkingMaxSizeIsAParameterAndMustNotBeNegative() throws Exception {
        start("chunkingMaxSize", "0");

        assertThatThrownBy(() -> start("chunkingMaxSize", "-1")).isInstanceOf(MessagingException.class)
            .hasMessageContaining("chunkingMaxSize");
    }

    /** A memory repository that keeps each mail it hands out, to see what the mailet does with it afterwards. */
    private static final class HandingOut implements MailRepository {
        private final MailRepository delegate;
        private final List<Mail> handedOut = new CopyOnWriteArrayList<>();

        HandingOut(MailRepository delegate) {
            this.delegate = delegate;
        }

        @Override
        public long size() throws MessagingException {
            return delegate.size();
        }

        @Override
        public org.apache.james.mailrepository.api.MailKey store(Mail mail) throws MessagingException {
            return delegate.store(mail);
        }

        @Override
        public java.util.Iterator<org.apache.james.mailrepository.api.MailKey> list() throws MessagingException {
            return delegate.list();
        }

        @Override
        public Mail retrieve(org.apache.james.mailrepository.api.MailKey key) throws MessagingException {
            Mail mail = delegate.retrieve(key);
            if (mail != null && Thread.currentThread().getName().startsWith("mta-sts")) {
                handedOut.add(mail);
            }
            return mail;
        }

        @Override
        public void remove(org.apache.james.mailrepository.api.MailKey key) throws MessagingException {
            delegate.remove(key);
        }

        @Override
        public void removeAll() throws MessagingException {
            delegate.removeAll();
        }
    }

    /** A mailet context whose first hand-over of a mail to a processor fails, as a full spool would. */
    private static final class FailingOnce implements InvocationHandler {
        private final FakeMailContext delegate = FakeMailContext.defaultContext();
        private final List<Mail> sent = new CopyOnWriteArrayList<>();
        private volatile int handOvers;

        MailetContext context() {
            return (MailetContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {MailetContext.class}, this);
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("sendMail") && args.length == 2 && args[1] instanceof String) {
                if (handOvers++ == 0) {
                    throw new MessagingException("the spool is full");
                }
                sent.add(MailImpl.duplicate((Mail) args[0]));
                return null;
            }
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

}

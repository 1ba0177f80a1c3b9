package io.github.jamesmtasts.james;

import io.github.jamesmtasts.delivery.Enforcement;
import io.github.jamesmtasts.delivery.EnforcementMode;
import io.github.jamesmtasts.delivery.Fakes;
import io.github.jamesmtasts.dns.MxHost;
import io.github.jamesmtasts.policy.MutableClock;
import io.github.jamesmtasts.smtp.SessionOutcome;
import io.github.jamesmtasts.smtp.TlsStance;
import io.github.jamesmtasts.state.FileClusterState;
import io.github.jamesmtasts.state.NodeName;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.memory.MemoryMailRepository;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.mail.MessagingException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two delivery mailets, two nodes, over one James memory repository that both see and one {@link FileClusterState}
 * directory (two instances of it): each attempt is made by one node, and the mail of a node that stopped is
 * delivered by the other.
 */
class SharedRepositoryTest {
    private static final String DOMAIN = "example.com";
    private static final Duration SWEEP = Duration.ofMillis(200);

    @TempDir
    Path state;

    private final MemoryMailRepository repository = new MemoryMailRepository();
    private final Fakes.Policies policies = new Fakes.Policies();
    private final Fakes.Directory dns = new Fakes.Directory()
        .mx(DOMAIN, new MxHost("mx1.example.com", 10))
        .host("mx1.example.com", "127.0.0.11");
    private final Fakes.Sink sink = new Fakes.Sink();
    private final RecordingMetricFactory metrics = new RecordingMetricFactory();
    private final List<MtaStsRemoteDelivery> started = new ArrayList<>();
    /** Every recipient's first session fails; the later ones deliver. Per recipient: the sessions, by node. */
    private final Map<String, List<String>> sessions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        started.forEach(MtaStsRemoteDelivery::destroy);
    }

    /** A node: its own SMTP client, which records who tried whom, and its own mailet context. */
    private MtaStsRemoteDelivery node(String name, DeliveryClaims claims, Clock clock, FakeMailContext context,
                                      String... parameters) throws Exception {
        Fakes.Smtp smtp = new Fakes.Smtp().script("mx1.example.com", TlsStance.OPPORTUNISTIC, envelope -> {
            String recipient = envelope.recipients().get(0);
            List<String> tried = sessions.computeIfAbsent(recipient, r -> new CopyOnWriteArrayList<>());
            tried.add(name);
            if (recipient.startsWith("unknown")) {
                return Fakes.completed(envelope, r -> Fakes.reply(550, "5.1.1", "no such user"));
            }
            if (tried.size() == 1) {
                return SessionOutcome.builder(SessionOutcome.Kind.NETWORK_FAILURE).detail("refused").build();
            }
            deliveries.computeIfAbsent(recipient, r -> new AtomicInteger()).incrementAndGet();
            slowly();
            return Fakes.deliverAll(envelope);
        });
        MtaStsRemoteDelivery mailet = new MtaStsRemoteDelivery(new SingleRepositoryStore(repository), dns, policies,
            new Enforcement(EnforcementMode.ENFORCE, clock), sink, settings -> smtp, new MtaStsMetrics(metrics), claims, clock);
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("relay").mailetContext(context)
            .setProperty("heloName", name + ".sender.test").setProperty("delayTime", "1 s");
        for (int i = 0; i < parameters.length; i += 2) {
            config.setProperty(parameters[i], parameters[i + 1]);
        }
        mailet.init(config.build());
        started.add(mailet);
        return mailet;
    }

    /** A delivery that lasts longer than a tick of the queue: both nodes have released the mail before it ends. */
    private static void slowly() {
        try {
            Thread.sleep(1200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private DeliveryClaims shared(String node, Clock clock) throws Exception {
        return DeliveryClaims.shared(new FileClusterState(state, clock), NodeName.of(node), SWEEP);
    }

    private static Mail mail(String name, String recipient) throws MessagingException {
        return MailImpl.builder().name(name).sender("alice@sender.test").addRecipient(recipient)
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject("hello").setText("hi")).build();
    }

    private void stop(MtaStsRemoteDelivery node) {
        node.destroy();
        started.remove(node);
    }

    private long waiting() {
        return repository.size();
    }

    /** Polls until the nodes have got there; fails after 20 seconds. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in time");
            }
            Thread.sleep(10);
        }
    }

    private List<String> recipients(int count) {
        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            recipients.add("user" + i + "@" + DOMAIN);
        }
        return recipients;
    }

    /** Node A defers ten mails; node B starts and finds them; at their due time both release them. */
    private void tenMailsDeferredByAFoundByB(DeliveryClaims a, DeliveryClaims b) throws Exception {
        MtaStsRemoteDelivery nodeA = node("a", a, Clock.systemUTC(), FakeMailContext.defaultContext());
        List<String> recipients = recipients(10);
        for (String recipient : recipients) {
            nodeA.service(mail("mail-" + recipient, recipient));
        }
        await(() -> sessions.size() == 10 && sessions.values().stream().allMatch(tried -> tried.size() == 1));
        node("b", b, Clock.systemUTC(), FakeMailContext.defaultContext());
        await(() -> waiting() == 0);
        Thread.sleep(1500);
    }

    @Test
    void withClaimsEachAttemptOfTheMailTwoLiveNodesSeeIsMadeByOneNode() throws Exception {
        tenMailsDeferredByAFoundByB(shared("a", Clock.systemUTC()), shared("b", Clock.systemUTC()));

        assertThat(deliveries).hasSize(10).allSatisfy((recipient, count) -> assertThat(count).as(recipient).hasValue(1));
        assertThat(sessions.values()).allSatisfy(tried -> assertThat(tried).hasSize(2));
    }

    @Test
    void withoutClaimsTwoNodesOnOneRepositoryDeliverTheSameMailTwice() throws Exception {
        tenMailsDeferredByAFoundByB(DeliveryClaims.alone(NodeName.of("a")), DeliveryClaims.alone(NodeName.of("b")));

        assertThat(deliveries.values().stream().mapToInt(AtomicInteger::get).sum()).as("the failure claims prevent").isGreaterThan(10);
    }

    @Test
    void theMailANodeDeferredBeforeItStoppedIsDeliveredByTheOtherAtItsDueTime() throws Exception {
        MtaStsRemoteDelivery nodeB = node("b", shared("b", Clock.systemUTC()), Clock.systemUTC(), FakeMailContext.defaultContext());
        MtaStsRemoteDelivery nodeA = node("a", shared("a", Clock.systemUTC()), Clock.systemUTC(), FakeMailContext.defaultContext());
        nodeA.service(mail("m1", "bob@" + DOMAIN));
        await(() -> retriesOf("m1") == 1);
        stop(nodeA);

        await(() -> waiting() == 0);

        assertThat(sessions.get("bob@" + DOMAIN)).containsExactly("a", "b");
        assertThat(deliveries.get("bob@" + DOMAIN)).hasValue(1);
        assertThat(started).containsExactly(nodeB);
    }

    @Test
    void aReturnedCopyIsLetGoByItsOwnNodeAndItsDsnSentAgainByAnotherOnlyWhenItsNodeLeftItBehind() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        FakeMailContext contextA = FakeMailContext.defaultContext();
        FakeMailContext contextB = FakeMailContext.defaultContext();
        MtaStsRemoteDelivery nodeA = node("a", shared("a", clock), clock, contextA, "bounceProcessor", "bounces");
        node("b", shared("b", clock), clock, contextB, "bounceProcessor", "bounces");

        nodeA.service(mail("kept-by-a", "unknown1@" + DOMAIN));
        await(() -> contextA.getSentMails().size() == 1 && waiting() == 1);
        // Past the copy's due time, not yet a sweep past it (the clock stands still in between).
        clock.advance(Bounces.DSN_WAIT.plus(SWEEP.dividedBy(2)));
        await(() -> waiting() == 0);
        clock.advance(SWEEP.multipliedBy(5));
        Thread.sleep(1500);
        assertThat(contextB.getSentMails()).as("A let its copy go in time: B sends nothing").isEmpty();

        nodeA.service(mail("left-by-a", "unknown2@" + DOMAIN));
        await(() -> contextA.getSentMails().size() == 2 && waiting() == 1);
        stop(nodeA);
        clock.advance(Bounces.DSN_WAIT.plus(SWEEP).plusSeconds(1));

        await(() -> contextB.getSentMails().size() == 1);
        FakeMailContext.SentMail again = contextB.getSentMails().get(0);
        assertThat(again.getRecipients()).extracting(Object::toString).containsExactly("unknown2@" + DOMAIN);
        assertThat(again.getState()).isEqualTo("bounces");
        assertThat(keys()).as("B keeps the copy until the DSN it sent comes back").hasSize(1);
    }

    /** The retries made of the mail under {@code key}, as the repository has it. */
    private int retriesOf(String key) {
        Mail mail = repository.retrieve(new MailKey(key));
        return mail == null ? -1 : RepositoryQueue.retries(mail);
    }

    private List<String> keys() throws MessagingException {
        List<String> keys = new ArrayList<>();
        for (Iterator<MailKey> all = repository.list(); all.hasNext(); ) {
            keys.add(all.next().asString());
        }
        return keys.stream().sorted().collect(Collectors.toList());
    }
}

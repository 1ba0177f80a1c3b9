package io.github.jamesmtasts.delivery;

import io.github.jamesmtasts.smtp.TestContent;
import io.github.jamesmtasts.mtasts.Mode;
import io.github.jamesmtasts.result.SessionResult;
import io.github.jamesmtasts.smtp.MessageContent;
import io.github.jamesmtasts.testkit.MxServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static io.github.jamesmtasts.delivery.DeliveryOutcome.Status.BOUNCE;
import static io.github.jamesmtasts.delivery.DeliveryOutcome.Status.DELIVERED;
import static io.github.jamesmtasts.delivery.DeliveryOutcome.Status.RETRY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault campaign of issue 14: a real delivery (policy decision, the Netty SMTP client, TLS with a test CA)
 * against MX hosts on loopback that lie, stall or cut. Whatever the MX does, no mail is lost (every recipient is
 * delivered or retried), none is returned for a temporary fault, none goes without verified TLS under
 * {@code enforce}, and TLS-RPT gets the right result.
 */
@Timeout(30)
class HostileMxTest {
    private static final String DOMAIN = "hostile.test";
    private static final String PRIMARY = "mx1.hostile.test";
    private static final String BACKUP = "mx2.hostile.test";
    private static final String RECIPIENT = "bob@hostile.test";
    private final Fakes.Policies policies = new Fakes.Policies();
    private final Fakes.Sink sink = new Fakes.Sink();
    private LoopbackMx world;

    @BeforeEach
    void start(@TempDir Path directory) throws IOException {
        world = new LoopbackMx(directory);
    }

    @AfterEach
    void stop() {
        world.close();
    }

    /** The lies and faults, each with what delivery must make of it. */
    enum Fault {
        /** RFC 3207 §6: a SIZE that would refuse the message and a fake REQUIRETLS, in plaintext after the 220. */
        INJECTED_AFTER_STARTTLS(options -> options.inject(MxServer.Step.STARTTLS, "250-x\r\n250-SIZE 1\r\n250-REQUIRETLS\r\n"),
            DELIVERED, "success"),
        /** The same with half a line: it must not shift the replies that follow. */
        HALF_LINE_AFTER_STARTTLS(options -> options.inject(MxServer.Step.STARTTLS, "250 x"), DELIVERED, "success"),
        /** Every reply one octet at a time. */
        REPLIES_SPLIT_AT_EVERY_OCTET(options -> options.dribble(true), DELIVERED, "success"),
        /** A positive reply other than 354 to DATA: nothing was sent, nobody is delivered. */
        POSITIVE_REPLY_TO_DATA(options -> options.reply(MxServer.Step.DATA, 250, "2.0.0 Ok, but no content please"), RETRY, "success"),
        /** Without PIPELINING, the reply to RCPT sent with the reply to MAIL, before RCPT. */
        REPLY_BEFORE_ITS_COMMAND(options -> options.pipelining(false).inject(MxServer.Step.MAIL, "250 2.1.5 Ok\r\n"), RETRY, "success"),
        /** A greeting that never ends. */
        ENDLESS_GREETING(options -> options.endless(MxServer.Step.GREETING), RETRY, null),
        /** A TLS handshake that never starts after the 220 to STARTTLS. */
        STALLED_TLS_HANDSHAKE(options -> options.stall(MxServer.Step.TLS_HANDSHAKE), RETRY, "validation-failure/tls-handshake-timeout"),
        /** The connection cut right after the final dot: the MX may have the message. */
        CUT_AFTER_THE_DOT(options -> options.hangUp(MxServer.Step.DATA_END), RETRY, "success"),
        /** The same after a whole BDAT chunk (RFC 3030), its MAIL and RCPT answered. */
        CUT_AFTER_THE_CHUNK(options -> options.chunking(true).hangUp(MxServer.Step.DATA_END), RETRY, "success");

        final UnaryOperator<MxServer.Options> options;
        final DeliveryOutcome.Status status;
        final String result;

        Fault(UnaryOperator<MxServer.Options> options, DeliveryOutcome.Status status, String result) {
            this.options = options;
            this.status = status;
            this.result = result;
        }
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aLyingMxNeverCostsAMailAndNeverGetsItWithoutVerifiedTls(Fault fault) throws Exception {
        policies.current.put(DOMAIN, Fakes.found(DOMAIN, "1", Fakes.policy(Mode.ENFORCE, "*.hostile.test")));
        MxServer mx = mx(PRIMARY, 10, fault.options);

        DeliveryOutcome first = deliver(TlsRequirement.DEFAULT);

        assertThat(first.status()).isEqualTo(fault.status);
        if (fault.status == DELIVERED) {
            assertThat(mx.received()).singleElement().satisfies(received -> assertThat(received.tls()).isTrue());
        } else {
            assertThat(mx.received()).isEmpty();
        }
        assertThat(results()).containsExactly(fault.result == null ? new String[0] : new String[] {PRIMARY + " " + fault.result});
        if (fault.status == RETRY) {
            mx.options(mx.options().withoutFaults());
            assertThat(deliver(TlsRequirement.DEFAULT).status()).isEqualTo(DELIVERED);
            assertThat(mx.received()).singleElement().satisfies(received -> assertThat(received.tls()).isTrue());
        }
    }

    @Test
    void aPlaintextRequireTlsInjectedAfterStartTlsDoesNotMakeANextHopOfferIt() throws Exception {
        policies.current.put(DOMAIN, Fakes.found(DOMAIN, "1", Fakes.policy(Mode.ENFORCE, "*.hostile.test")));
        MxServer mx = mx(PRIMARY, 10, Fault.INJECTED_AFTER_STARTTLS.options);

        DeliveryOutcome outcome = deliver(TlsRequirement.REQUIRETLS);

        // RFC 8689 §4.2.1: the only MX does not offer REQUIRETLS over TLS, so the message is returned (5.7.30).
        assertThat(outcome.status()).isEqualTo(BOUNCE);
        assertThat(outcome.problem().orElseThrow().enhancedStatus(true)).isEqualTo("5.7.30");
        assertThat(mx.received()).isEmpty();
    }

    @Test
    void noReplyToTheFinalDotKeepsTheMessageFromTheNextMxUntilLater() throws Exception {
        policies.current.put(DOMAIN, Fakes.found(DOMAIN, "1", Fakes.policy(Mode.ENFORCE, "*.hostile.test")));
        mx(PRIMARY, 10, Fault.CUT_AFTER_THE_DOT.options);
        MxServer backup = mx(BACKUP, 20, UnaryOperator.identity());

        DeliveryOutcome outcome = deliver(TlsRequirement.DEFAULT);

        // RFC 5321 §6.1: the primary may have it; sending it to the backup now would likely duplicate it.
        assertThat(outcome.status()).isEqualTo(RETRY);
        assertThat(outcome.problem().orElseThrow().cause()).isEqualTo(DeliveryProblem.Cause.UNCONFIRMED);
        assertThat(backup.received()).isEmpty();
        assertThat(backup.connections()).isZero();
    }

    /** RFC 5321 §5.1: a host that refuses the session or cannot take this message leads to the next MX host. */
    enum Refusal {
        GREETING_554(options -> options.reply(MxServer.Step.GREETING, 554, "5.7.1 not you")),
        EHLO_550(options -> options.reply(MxServer.Step.EHLO, 550, "5.7.1 go away")),
        SIZE_TOO_SMALL(options -> options.size(10)),
        CLOSED_AT_MAIL(options -> options.hangUp(MxServer.Step.MAIL)),
        /** The envelope and the whole BDAT chunk were sent, but the MX closed without answering even MAIL. */
        CLOSED_AT_MAIL_BEFORE_ITS_CHUNK(options -> options.chunking(true).hangUp(MxServer.Step.MAIL)),
        NO_8BITMIME_FOR_8BIT_CONTENT(options -> options.eightBitMime(false));

        final UnaryOperator<MxServer.Options> options;

        Refusal(UnaryOperator<MxServer.Options> options) {
            this.options = options;
        }
    }

    @ParameterizedTest
    @EnumSource(Refusal.class)
    void aPrimaryThatCannotTakeTheMessageLeadsToTheNextMxHost(Refusal refusal) throws Exception {
        policies.current.put(DOMAIN, Fakes.found(DOMAIN, "1", Fakes.policy(Mode.ENFORCE, "*.hostile.test")));
        MxServer primary = mx(PRIMARY, 10, refusal.options);
        MxServer backup = mx(BACKUP, 20, UnaryOperator.identity());

        DeliveryOutcome outcome = deliver(TlsRequirement.DEFAULT, TestContent.eightBit("Subject: caf\u00e9\r\n\r\ncaf\u00e9\r\n"));

        assertThat(outcome.status()).isEqualTo(DELIVERED);
        assertThat(primary.received()).isEmpty();
        assertThat(backup.received()).hasSize(1);
    }

    @Test
    void whenEveryHostRefusesTheMessageItIsReturned() throws Exception {
        policies.current.put(DOMAIN, Fakes.found(DOMAIN, "1", Fakes.policy(Mode.ENFORCE, "*.hostile.test")));
        mx(PRIMARY, 10, Refusal.SIZE_TOO_SMALL.options);
        mx(BACKUP, 20, Refusal.EHLO_550.options);

        DeliveryOutcome outcome = deliver(TlsRequirement.DEFAULT);

        assertThat(outcome.status()).isEqualTo(BOUNCE);
    }

    private MxServer mx(String host, int preference, UnaryOperator<MxServer.Options> options) {
        return world.start(DOMAIN, host, preference, options);
    }

    private DeliveryOutcome deliver(TlsRequirement requirement) throws Exception {
        return deliver(requirement, TestContent.of("Subject: hi\r\n\r\nhello\r\n"));
    }

    private DeliveryOutcome deliver(TlsRequirement requirement, MessageContent content) throws Exception {
        DomainDelivery delivery = new DomainDelivery(policies, world.dns(), world.smtp(), sink,
            new Enforcement(EnforcementMode.ENFORCE, Clock.systemUTC()), Clock.systemUTC());
        return delivery.deliver(new DeliveryRequest(DOMAIN, "alice@sender.test", List.of(RECIPIENT), content, requirement, true))
            .get(20, TimeUnit.SECONDS).outcomes().get(RECIPIENT);
    }

    private List<String> results() {
        List<String> lines = new ArrayList<>();
        for (SessionResult result : sink.results) {
            lines.add(result.receivingMxHostname().orElse("-") + " " + result.failure()
                .map(failure -> failure.type().code() + failure.reasonCode().map(code -> "/" + code).orElse(""))
                .orElse("success"));
        }
        return lines;
    }
}

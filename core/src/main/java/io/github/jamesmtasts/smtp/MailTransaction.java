package io.github.jamesmtasts.smtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import io.netty.buffer.ByteBuf;

/**
 * One mail transaction on an open session (RFC 5321 §3.3): {@code MAIL}, one {@code RCPT} per
 * recipient and {@code DATA}, pipelined when the server offers {@code PIPELINING} (RFC 2920), then
 * the message. To a server that also offers {@code CHUNKING}, a message up to
 * {@link SmtpSettings#chunkingMaxSize()} goes as one {@code BDAT ... LAST} chunk (RFC 3030) in the same
 * write as its envelope: one round trip for the whole transaction. Before anything is sent it checks
 * that the message can go to this server at all: size (RFC 1870), 8-bit content (RFC 6152), UTF-8
 * addresses (RFC 6531) and REQUIRETLS (RFC 8689).
 */
final class MailTransaction {
    // RFC 5321 §4.1.1.4: 354 "Start mail input".
    private static final int START_MAIL_INPUT = 354;

    private final Commands commands;
    private final MessageWriter writer;
    private final long chunkingMaxSize;

    MailTransaction(Commands commands, MessageWriter writer, long chunkingMaxSize) {
        this.commands = commands;
        this.writer = writer;
        this.chunkingMaxSize = chunkingMaxSize;
    }

    CompletableFuture<SessionOutcome> run(SmtpSession session, Envelope envelope, MessageContent content, Attempt attempt) {
        attempt.at(SmtpStep.MAIL);
        SmtpReply refusal = localRefusal(session, envelope, content);
        if (refusal != null) {
            return CompletableFuture.failedFuture(SessionEnd.cannotSend(refusal));
        }
        session.startMessage();
        Command mail = commands.mail(envelope.sender(), mailParameters(session.capabilities(), envelope, content));
        List<Command> recipients = new ArrayList<>();
        envelope.recipients().forEach(recipient -> recipients.add(commands.rcpt(recipient)));
        if (inOneChunk(session.capabilities(), content)) {
            return writer.render(content).thenCompose(chunk -> chunked(session, envelope, mail, recipients, chunk, attempt));
        }
        CompletableFuture<EnvelopeReplies> replies = session.capabilities().pipelining()
            ? pipelined(session, mail, recipients)
            : stepwise(session, mail, recipients, attempt);
        return replies.thenCompose(envelopeReplies -> afterEnvelope(session, envelope, content, envelopeReplies, attempt));
    }

    /** Why this message cannot be sent to this server, as a reply made here; null when it can. */
    private static SmtpReply localRefusal(SmtpSession session, Envelope envelope, MessageContent content) {
        EhloCapabilities capabilities = session.capabilities();
        // RFC 8689 §4.2.1: the next hop must offer REQUIRETLS after STARTTLS, else 5.7.30.
        if (envelope.requireTls() && !(session.tlsEstablished() && capabilities.requireTls())) {
            return SmtpReply.local(550, "5.7.30", "REQUIRETLS support required, and the MX does not offer it");
        }
        // RFC 1870 §6.1: do not send a message larger than the size the server announced.
        OptionalLong limit = capabilities.sizeLimit();
        if (limit.isPresent() && content.size() > limit.getAsLong()) {
            return SmtpReply.local(552, "5.3.4", "message of " + content.size() + " octets exceeds the MX's limit of "
                + limit.getAsLong());
        }
        // RFC 6152 §3: 8-bit content only to a server that announced 8BITMIME.
        if (content.needs8BitMime() && !capabilities.eightBitMime()) {
            return SmtpReply.local(554, "5.6.3", "8-bit message and the MX does not offer 8BITMIME");
        }
        // RFC 6531 §3.2 / RFC 6533: UTF-8 addresses or headers only to a server that announced SMTPUTF8.
        if (content.needsSmtpUtf8() && !capabilities.smtpUtf8()) {
            return SmtpReply.local(553, "5.6.7", "UTF-8 addresses and the MX does not offer SMTPUTF8");
        }
        return null;
    }

    private static List<String> mailParameters(EhloCapabilities capabilities, Envelope envelope, MessageContent content) {
        List<String> parameters = new ArrayList<>();
        if (capabilities.size()) {
            parameters.add("SIZE=" + content.size());
        }
        if (content.needs8BitMime()) {
            parameters.add("BODY=8BITMIME");
        }
        if (content.needsSmtpUtf8()) {
            parameters.add("SMTPUTF8");
        }
        if (envelope.requireTls()) {
            parameters.add("REQUIRETLS");
        }
        return parameters;
    }

    /** RFC 2920 §3.1: MAIL, every RCPT and DATA in one write; the replies come back in order. */
    private CompletableFuture<EnvelopeReplies> pipelined(SmtpSession session, Command mail, List<Command> recipients) {
        List<Command> all = new ArrayList<>();
        all.add(mail);
        all.addAll(recipients);
        all.add(commands.data());
        return session.connection().pipeline(all).thenApply(replies -> new EnvelopeReplies(
            replies.get(0), replies.subList(1, replies.size() - 1), replies.get(replies.size() - 1)));
    }

    /**
     * RFC 3030 §2: BDAT needs CHUNKING; sent in the same write as the envelope only with PIPELINING (RFC 3030 §4.2),
     * and only when the message is small enough to be held whole.
     */
    private boolean inOneChunk(EhloCapabilities capabilities, MessageContent content) {
        return capabilities.chunking() && capabilities.pipelining() && content.size() <= chunkingMaxSize;
    }

    /**
     * MAIL, every RCPT, {@code BDAT <octets> LAST} and the message in one write. If the connection breaks before all
     * replies are in, the step it broke at ({@link #brokenAt}) says whether the MX may have the message.
     */
    private CompletableFuture<SessionOutcome> chunked(SmtpSession session, Envelope envelope, Command mail,
                                                     List<Command> recipients, ByteBuf chunk, Attempt attempt) {
        Command lastChunk = commands.lastChunk(chunk.readableBytes());
        // RFC 2920 §3.1: the server may hold its replies until the group ends, and this one ends once the server has
        // taken the message, so each reply may take as long as the one to the message.
        List<Command> all = new ArrayList<>();
        all.add(mail.waitingAtMost(lastChunk.timeout()));
        recipients.forEach(recipient -> all.add(recipient.waitingAtMost(lastChunk.timeout())));
        all.add(lastChunk);
        return session.connection().pipeline(all, chunk).thenCompose(sent -> sent.all()
            .handle((replies, error) -> {
                if (error != null) {
                    SmtpStep reached = brokenAt(sent, recipients.size(), error);
                    attempt.at(reached);
                    throw SessionEnd.at(reached, error);
                }
                return replies;
            })
            .thenCompose(replies -> {
                SmtpReply last = replies.get(replies.size() - 1);
                EnvelopeReplies envelopeReplies = new EnvelopeReplies(replies.get(0), replies.subList(1, replies.size() - 1), null);
                return afterEnvelope(session, envelope, envelopeReplies, attempt,
                    (accepted, refused) -> afterLastChunk(session, last, accepted, refused, attempt));
            }));
    }

    /**
     * The step a transaction sent in one chunk had reached when it broke with {@code error}. The MX may have the
     * message (RFC 5321 §6.1) only once the whole chunk was written and no refusal was seen; and, when not even MAIL
     * was answered, only if the MX is still there, silent: a server that closes the connection before it answers MAIL
     * is taken not to have the message, as everywhere else, so that the next MX is tried rather than the mail held
     * back for good by one that always closes.
     */
    private static SmtpStep brokenAt(Pipelined sent, int recipients, Throwable error) {
        Optional<SmtpReply> mail = sent.arrived(0);
        if (mail.isEmpty()) {
            boolean silent = SessionEnd.unwrap(error) instanceof StepTimeoutException;
            return sent.chunkSent() && silent ? SmtpStep.DATA_END : SmtpStep.MAIL;
        }
        if (!mail.get().isPositiveCompletion()) {
            return SmtpStep.MAIL;
        }
        boolean everyRecipientRefused = IntStream.rangeClosed(1, recipients)
            .allMatch(index -> sent.arrived(index).filter(reply -> !reply.isPositiveCompletion()).isPresent());
        if (everyRecipientRefused) {
            return SmtpStep.RCPT;
        }
        return sent.chunkSent() ? SmtpStep.DATA_END : SmtpStep.MESSAGE;
    }

    /**
     * The reply to {@code BDAT ... LAST} decides for every accepted recipient, as the reply to the final dot does.
     * RFC 3030 §2 (after RFC 1830 §3): after a refused BDAT the server's state is indeterminate, and RSET clears it.
     * BDAT has no 3yz reply: one is taken as a temporary failure, on a connection not used again.
     */
    private CompletableFuture<SessionOutcome> afterLastChunk(SmtpSession session, SmtpReply reply, List<String> accepted,
                                                            List<RecipientOutcome> refused, Attempt attempt) {
        attempt.at(SmtpStep.DATA_END);
        if (reply.isPositive()) {
            if (!reply.isPositiveCompletion() || reply.isServiceClosing()) {
                session.doNotReuse();
            }
            return CompletableFuture.completedFuture(finished(attempt, SmtpStep.DATA_END, reply, accepted, refused));
        }
        return abandon(session, null).thenApply(done -> finished(attempt, SmtpStep.DATA_END, reply, accepted, refused));
    }

    /** Without PIPELINING: each command waits for the reply to the one before. */
    private CompletableFuture<EnvelopeReplies> stepwise(SmtpSession session, Command mail, List<Command> recipients, Attempt attempt) {
        SmtpConnection connection = session.connection();
        return connection.send(mail).thenCompose(mailReply -> {
            if (!mailReply.isPositiveCompletion()) {
                return CompletableFuture.completedFuture(new EnvelopeReplies(mailReply, List.of(), null));
            }
            attempt.at(SmtpStep.RCPT);
            CompletableFuture<List<SmtpReply>> rcptReplies = CompletableFuture.completedFuture(new ArrayList<>());
            for (Command recipient : recipients) {
                rcptReplies = rcptReplies.thenCompose(done -> connection.send(recipient).thenApply(reply -> {
                    done.add(reply);
                    return done;
                }));
            }
            return rcptReplies.thenCompose(done -> {
                if (done.stream().noneMatch(SmtpReply::isPositiveCompletion)) {
                    return CompletableFuture.completedFuture(new EnvelopeReplies(mailReply, done, null));
                }
                attempt.at(SmtpStep.DATA);
                return connection.send(commands.data()).thenApply(data -> new EnvelopeReplies(mailReply, done, data));
            });
        });
    }

    private CompletableFuture<SessionOutcome> afterEnvelope(SmtpSession session, Envelope envelope, MessageContent content,
                                                           EnvelopeReplies replies, Attempt attempt) {
        return afterEnvelope(session, envelope, replies, attempt,
            (accepted, refused) -> afterData(session, content, replies.data, accepted, refused, attempt));
    }

    /**
     * Ends the transaction when MAIL or every RCPT was refused; otherwise notes the refused recipients and hands the
     * accepted ones on to {@code message}.
     */
    private CompletableFuture<SessionOutcome> afterEnvelope(SmtpSession session, Envelope envelope, EnvelopeReplies replies,
                                                           Attempt attempt, MessageStep message) {
        if (!replies.mail.isPositiveCompletion()) {
            return abandon(session, replies.data).thenApply(done -> {
                throw SessionEnd.refused(SmtpStep.MAIL, replies.mail);
            });
        }
        attempt.at(SmtpStep.RCPT);
        List<String> accepted = new ArrayList<>();
        List<RecipientOutcome> refused = new ArrayList<>();
        for (int i = 0; i < replies.rcpt.size(); i++) {
            String recipient = envelope.recipients().get(i);
            SmtpReply reply = replies.rcpt.get(i);
            if (reply.isPositiveCompletion()) {
                accepted.add(recipient);
            } else {
                RecipientOutcome outcome = new RecipientOutcome(recipient, statusOf(reply), reply);
                refused.add(outcome);
                attempt.refused(outcome);
            }
        }
        if (accepted.isEmpty()) {
            SmtpReply last = replies.rcpt.get(replies.rcpt.size() - 1);
            return abandon(session, replies.data).thenApply(done -> attempt.outcome(kindOf(refused))
                .reply(last)
                .detail("the MX refused every recipient")
                .build());
        }
        return message.send(accepted, refused);
    }

    private CompletableFuture<SessionOutcome> afterData(SmtpSession session, MessageContent content, SmtpReply data,
                                                       List<String> accepted, List<RecipientOutcome> refused, Attempt attempt) {
        attempt.at(SmtpStep.DATA);
        if (data.code() != START_MAIL_INPUT) {
            if (data.isPositive()) {
                // RFC 5321 §4.1.1.4: only 354 starts the content. Any other positive reply is a protocol
                // error: nothing was sent, so nobody is delivered, and the connection is not used again.
                session.doNotReuse();
                return CompletableFuture.failedFuture(SessionEnd.protocolError(SmtpStep.DATA, data));
            }
            return abandon(session, data).thenApply(done -> finished(attempt, SmtpStep.DATA, data, accepted, refused));
        }
        attempt.at(SmtpStep.MESSAGE);
        return writer.send(session.connection(), content, () -> attempt.at(SmtpStep.DATA_END)).thenApply(reply -> {
            if (reply.isServiceClosing()) {
                session.doNotReuse();
            }
            return finished(attempt, SmtpStep.DATA_END, reply, accepted, refused);
        });
    }

    /**
     * Ends a transaction that will carry no message: a lone dot if {@code DATA} was accepted anyway
     * (RFC 2920 §3.1; {@code data} is null when no DATA was sent), then {@code RSET} (RFC 5321 §4.1.1.5),
     * which also clears Netty's encoder after a refused {@code DATA}. A session that cannot be reset is not reused.
     */
    private CompletableFuture<Void> abandon(SmtpSession session, SmtpReply data) {
        SmtpConnection connection = session.connection();
        CompletableFuture<SmtpReply> dot = data != null && data.code() == START_MAIL_INPUT
            ? writer.sendEmpty(connection)
            : CompletableFuture.completedFuture(null);
        return dot.thenCompose(ignored -> connection.send(commands.rset()))
            .handle((reset, error) -> {
                if (error != null || !reset.isPositiveCompletion()) {
                    session.doNotReuse();
                }
                return null;
            });
    }

    /** The outcome once the server answered {@code DATA} or the final dot: its reply decides for every accepted recipient. */
    private static SessionOutcome finished(Attempt attempt, SmtpStep step, SmtpReply reply, List<String> accepted,
                                           List<RecipientOutcome> refused) {
        List<RecipientOutcome> all = new ArrayList<>(refused);
        RecipientOutcome.Status status = reply.isPositiveCompletion() ? RecipientOutcome.Status.DELIVERED : statusOf(reply);
        accepted.forEach(recipient -> all.add(new RecipientOutcome(recipient, status, reply)));
        SessionOutcome.Kind kind = reply.isPositiveCompletion()
            ? SessionOutcome.Kind.COMPLETED
            : reply.isPermanentFailure() ? SessionOutcome.Kind.PERMANENT_FAILURE : SessionOutcome.Kind.TEMPORARY_FAILURE;
        String detail = reply.isPositiveCompletion()
            ? "delivered to " + accepted.size() + " of " + all.size() + " recipient(s)"
            : "the MX answered " + reply + " at " + step;
        return attempt.outcome(kind).step(step).reply(reply).recipients(all).detail(detail).build();
    }

    private static RecipientOutcome.Status statusOf(SmtpReply reply) {
        return reply.isPermanentFailure() ? RecipientOutcome.Status.PERMANENT_FAILURE : RecipientOutcome.Status.TEMPORARY_FAILURE;
    }

    /** Every recipient refused: for now if any refusal was temporary, else for good. */
    private static SessionOutcome.Kind kindOf(List<RecipientOutcome> refused) {
        return refused.stream().anyMatch(outcome -> outcome.status() == RecipientOutcome.Status.TEMPORARY_FAILURE)
            ? SessionOutcome.Kind.TEMPORARY_FAILURE
            : SessionOutcome.Kind.PERMANENT_FAILURE;
    }

    /** What comes after an envelope with at least one accepted recipient: the message, by DATA or BDAT. */
    @FunctionalInterface
    private interface MessageStep {
        CompletableFuture<SessionOutcome> send(List<String> accepted, List<RecipientOutcome> refused);
    }

    /** The replies to MAIL, each RCPT and DATA ({@code data} null when DATA was not sent). */
    private static final class EnvelopeReplies {
        private final SmtpReply mail;
        private final List<SmtpReply> rcpt;
        private final SmtpReply data;

        EnvelopeReplies(SmtpReply mail, List<SmtpReply> rcpt, SmtpReply data) {
            this.mail = mail;
            this.rcpt = rcpt;
            this.data = data;
        }
    }
}

package io.github.jamesmtasts.james;

import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.memory.MemoryMailRepository;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.queue.memory.MemoryMailQueueFactory;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Mail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.mail.MessagingException;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;

import static org.assertj.core.api.Assertions.assertThat;

/** Deferred mail waits in a repository and goes back to the queue when due, and none is ever lost on the way. */
class DeferredMailsTest {
    private final MemoryMailQueueFactory queues = new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory());
    private final MailQueue queue = queues.createQueue(MailQueueName.of("outgoing"));
    private final RetryBeforeRemove repository = new RetryBeforeRemove(new MemoryMailRepository());
    private final DeferredMails deferred = new DeferredMails(repository, queue, Clock.systemUTC());

    @AfterEach
    void stop() {
        deferred.close();
    }

    /**
     * A release enqueues the mail, then removes it from the repository. A worker may take it from the queue,
     * fail again and defer it in between: that new deferral must survive the removal of the old one.
     */
    @Test
    void aRetryDeferredBeforeThePreviousReleaseEndsIsKept() throws Exception {
        Mail mail = mail("m1");
        // The worker took the released mail from the queue, under the name it was released with, and deferred it again.
        repository.onRemove = () -> deferred.defer(mail(mail.getName()), 2, Duration.ofHours(1));
        deferred.defer(mail, 1, Duration.ZERO);

        deferred.start();

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (repository.removals == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(repository.removals).isEqualTo(1);
        assertThat(repository.size()).as("the second deferral is still waiting").isEqualTo(1);
        assertThat(DeferredMails.retries(repository.retrieve(repository.list().next()))).isEqualTo(2);
    }

    private static Mail mail(String name) throws MessagingException {
        return MailImpl.builder().name(name).sender("alice@sender.test").addRecipient("bob@example.com")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setText("hi")).build();
    }

    /** A repository that runs a task (the fast retry) just before its first removal. */
    private static final class RetryBeforeRemove implements MailRepository {
        private final MailRepository delegate;
        private volatile ThrowingRunnable onRemove = () -> { };
        private volatile int removals;

        private RetryBeforeRemove(MailRepository delegate) {
            this.delegate = delegate;
        }

        @Override
        public long size() throws MessagingException {
            return delegate.size();
        }

        @Override
        public MailKey store(Mail mail) throws MessagingException {
            return delegate.store(mail);
        }

        @Override
        public Iterator<MailKey> list() throws MessagingException {
            return delegate.list();
        }

        @Override
        public Mail retrieve(MailKey key) throws MessagingException {
            return delegate.retrieve(key);
        }

        @Override
        public void remove(MailKey key) throws MessagingException {
            if (removals++ == 0) {
                onRemove.run();
            }
            delegate.remove(key);
        }

        @Override
        public void removeAll() throws MessagingException {
            delegate.removeAll();
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws MessagingException;
    }
}

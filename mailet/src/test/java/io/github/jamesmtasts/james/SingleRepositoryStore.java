package io.github.jamesmtasts.james;

import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryPath;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.mailrepository.api.Protocol;

import java.util.Optional;
import java.util.stream.Stream;

/** A store holding one repository, whatever the URL. */
public final class SingleRepositoryStore implements MailRepositoryStore {
    private final MailRepository repository;

    public SingleRepositoryStore(MailRepository repository) {
        this.repository = repository;
    }

    @Override
    public MailRepository select(MailRepositoryUrl url) {
        return repository;
    }

    @Override
    public Optional<Protocol> defaultProtocol() {
        return Optional.of(new Protocol("memory"));
    }

    @Override
    public Optional<MailRepository> get(MailRepositoryUrl url) {
        return Optional.of(repository);
    }

    @Override
    public Stream<MailRepository> getByPath(MailRepositoryPath path) {
        return Stream.of(repository);
    }

    @Override
    public Stream<MailRepositoryUrl> getUrls() {
        return Stream.of(MailRepositoryUrl.from("memory://var/mail/mta-sts/"));
    }
}

package io.github.jamesmtasts.it;

import io.github.jamesmtasts.testkit.PostfixServer;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One test class's stage: a {@link World}, a James server installed and started by {@code run-james.sh} in
 * it, and the sender's own mail server (where bounces arrive). Short retry delays are set in James's
 * {@code mailetcontainer.xml}, as an admin would edit it, so that retries happen within a test.
 */
final class Stage implements AutoCloseable {
    static final String DELAY_TIME = "2 s";
    static final int MAX_RETRIES = 5;

    final World world;
    final JamesProcess james;
    final PostfixServer senderMx;
    final String sender;
    final Submission submission;

    private Stage(World world, JamesProcess james, PostfixServer senderMx, String sender) {
        this.world = world;
        this.james = james;
        this.senderMx = senderMx;
        this.sender = sender;
        this.submission = new Submission(james.smtpPort());
    }

    /** Builds the world and starts James with the global {@code enforcement} switch given. */
    static Stage start(String name, Path directory, String enforcement) {
        return start(name, directory, enforcement, List.of());
    }

    /** As {@link #start(String, Path, String)}, with more options of {@code run-james.sh}. */
    static Stage start(String name, Path directory, String enforcement, List<String> options) {
        return start(name, directory, enforcement, options, MAX_RETRIES);
    }

    /** As {@link #start(String, Path, String, List)}, with {@code maxRetries} retries before a mail is returned. */
    static Stage start(String name, Path directory, String enforcement, List<String> options, int maxRetries) {
        World world = new World(directory);
        String senderDomain = world.domain("sender");
        PostfixServer senderMx = world.mx(senderDomain, 10, "mx." + senderDomain, World.Certificate.NO_STARTTLS, "alice");
        JamesProcess james = james(name, Stream.concat(world.jamesOptions().stream(), options.stream()).collect(Collectors.toList()),
            enforcement, maxRetries).start();
        return new Stage(world, james, senderMx, "alice@" + senderDomain);
    }

    /** A James with the short retry delays of the stages and the global {@code enforcement} switch, not started. */
    static JamesProcess james(String name, List<String> options, String enforcement) {
        return james(name, options, enforcement, MAX_RETRIES);
    }

    private static JamesProcess james(String name, List<String> options, String enforcement, int maxRetries) {
        return JamesProcess.create(name, options)
            .editConf("mailetcontainer.xml", conf -> conf
                .replaceFirst("<delayTime>[^<]*</delayTime>", "<delayTime>" + DELAY_TIME + "</delayTime>")
                .replaceFirst("<maxRetries>[^<]*</maxRetries>", "<maxRetries>" + maxRetries + "</maxRetries>")
                .replaceFirst("<enforcement>[^<]*</enforcement>", "<enforcement>" + enforcement + "</enforcement>"));
    }

    /** Waits until James has logged a delivery attempt to {@code domain} whose line contains {@code text}. */
    void awaitAttempt(String domain, String text) throws InterruptedException {
        World.until("an attempt to " + domain + " with " + text, () -> james.log().lines()
            .anyMatch(line -> line.contains("MTA-STS delivery to " + domain + ":") && line.contains(text)));
    }

    /** The bounce (DSN) the sender received about {@code recipient}, once it has come. */
    String bounceFor(String recipient) throws InterruptedException {
        World.until("a bounce about " + recipient, () -> World.received(senderMx, "alice").stream()
            .anyMatch(message -> message.contains(recipient)));
        return World.received(senderMx, "alice").stream().filter(message -> message.contains(recipient)).findFirst().orElseThrow();
    }

    @Override
    public void close() throws Exception {
        try {
            james.close();
        } finally {
            world.close();
        }
    }
}

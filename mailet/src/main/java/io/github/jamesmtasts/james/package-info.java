/**
 * The adapter between the MTA-STS delivery and Apache James 3.8.1: the only package of the extension jar
 * that touches James types.
 *
 * <p>{@link io.github.jamesmtasts.james.MtaStsRemoteDelivery} is the mailet an admin puts in
 * {@code mailetcontainer.xml} in place of {@code RemoteDelivery}; its parameters are read in one place,
 * {@link io.github.jamesmtasts.james.MailetParameters}. Mail waits in a James mail queue for delivery and,
 * between attempts, in a James mail repository, so retries survive restarts and really wait their delay on
 * every James server. {@link io.github.jamesmtasts.james.MtaStsModule} binds what mailets, hooks and WebAdmin
 * routes share.
 */
package io.github.jamesmtasts.james;

package io.github.jamesmtasts.hooks;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.net.InetSocketAddress;

import org.apache.james.protocols.api.ProtocolTransport;
import org.apache.james.protocols.smtp.SMTPConfigurationImpl;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.SMTPSessionImpl;

/** James's own SMTP session implementation over a mocked transport, for unit tests of the hooks. */
final class Sessions {
    private Sessions() {
    }

    static SMTPSession withTls() {
        return session(true);
    }

    static SMTPSession withoutTls() {
        return session(false);
    }

    private static SMTPSession session(boolean tlsStarted) {
        ProtocolTransport transport = mock(ProtocolTransport.class);
        when(transport.isTLSStarted()).thenReturn(tlsStarted);
        when(transport.getRemoteAddress()).thenReturn(new InetSocketAddress("127.0.0.1", 40000));
        when(transport.getId()).thenReturn("test-session");
        return new SMTPSessionImpl(transport, new SMTPConfigurationImpl());
    }
}

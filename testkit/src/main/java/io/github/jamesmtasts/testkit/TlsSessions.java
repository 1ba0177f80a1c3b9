package io.github.jamesmtasts.testkit;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;

/** What test servers record about a TLS session the client opened. */
final class TlsSessions {
    private TlsSessions() {
    }

    /** The host name the client sent in the TLS server_name extension (RFC 6066 §3), or {@code null}. */
    static String serverName(SSLSession session) {
        if (session instanceof ExtendedSSLSession) {
            for (SNIServerName name : ((ExtendedSSLSession) session).getRequestedServerNames()) {
                if (name instanceof SNIHostName) {
                    return ((SNIHostName) name).getAsciiName();
                }
            }
        }
        return null;
    }
}

#!/usr/bin/env bash
# Runs an Apache James 3.8.1 memory server with the james-mta-sts extension, in the foreground.
#
#   james-conf/run-james.sh --prepare [--home DIR] [--extension-jar JAR]...
#       builds the extension, fetches James 3.8.1 and its libraries from Maven Central into DIR/lib,
#       puts the extension jars in DIR/extensions-jars and the configuration in DIR/conf, then exits.
#   james-conf/run-james.sh [--home DIR] [--dns IP] [--ca-file PEM] [--allow-private-addresses]
#       [--smtp-port N] [--webadmin-port N] [--tlsrpt-period DURATION] [--tlsrpt-submitter NAME]
#       [--serve-policy [IP:]PORT] [--policy-certificates DIR] [--state file|cassandra://HOST:PORT[,HOST:PORT...]]
#       [--node NAME] [--shared-repository DIR]
#       starts the server prepared in DIR (preparing it first if it never was). Needs no network.
#
# Every option is described in README.md, section "Running James with the extension".
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAMES_HOME="$REPO/run/james"
PREPARE=false
EXTENSION_JARS=()
DNS=""
CA_FILE=""
ALLOW_PRIVATE=false
SMTP_PORT=""
WEBADMIN_PORT=""
TLSRPT_PERIOD=""
TLSRPT_SUBMITTER=""
SERVE_POLICY=""
POLICY_CERTIFICATES=""
STATE=""
NODE=""
SHARED_REPOSITORY=""

usage() {
    sed -n '2,/^[^#]/{/^#/p}' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

fail() {
    echo "run-james.sh: $*" >&2
    exit 2
}

port() {
    [[ "$2" =~ ^[0-9]+$ ]] && (( $2 >= 0 && $2 <= 65535 )) || fail "$1 needs a port number, not '$2'"
    echo "$2"
}

while (( $# > 0 )); do
    case "$1" in
        --prepare) PREPARE=true ;;
        --home) JAMES_HOME="${2:?--home needs a directory}"; shift ;;
        --extension-jar) EXTENSION_JARS+=("${2:?--extension-jar needs a file}"); shift ;;
        --dns) DNS="${2:?--dns needs an IP address}"; shift ;;
        --ca-file) CA_FILE="${2:?--ca-file needs a PEM file}"; shift ;;
        --allow-private-addresses) ALLOW_PRIVATE=true ;;
        --smtp-port) SMTP_PORT="$(port "$1" "${2:-}")"; shift ;;
        --webadmin-port) WEBADMIN_PORT="$(port "$1" "${2:-}")"; shift ;;
        --tlsrpt-period) TLSRPT_PERIOD="${2:?--tlsrpt-period needs a duration}"; shift ;;
        --tlsrpt-submitter) TLSRPT_SUBMITTER="${2:?--tlsrpt-submitter needs a name}"; shift ;;
        --serve-policy) SERVE_POLICY="${2:?--serve-policy needs [IP:]PORT}"; shift ;;
        --policy-certificates) POLICY_CERTIFICATES="${2:?--policy-certificates needs a directory}"; shift ;;
        --state) STATE="${2:?--state needs file or cassandra://HOST:PORT}"; shift ;;
        --node) NODE="${2:?--node needs a name}"; shift ;;
        --shared-repository) SHARED_REPOSITORY="${2:?--shared-repository needs a directory}"; shift ;;
        -h|--help) usage 0 ;;
        *) echo "run-james.sh: unknown option $1" >&2; usage 2 ;;
    esac
    shift
done

mkdir -p "$JAMES_HOME"
JAMES_HOME="$(cd "$JAMES_HOME" && pwd)"

# Sets key=value in a properties file, replacing the key's line or adding one.
set_property() {
    local file="$1" key="$2" value="$3" escaped
    escaped="$(printf '%s' "$value" | sed 's/[\\|&]/\\&/g')"
    if grep -q "^${key}=" "$file" 2>/dev/null; then
        sed -i "s|^${key}=.*|${key}=${escaped}|" "$file"
    else
        printf '%s=%s\n' "$key" "$value" >> "$file"
    fi
}

prepare() {
    if (( ${#EXTENSION_JARS[@]} == 0 )); then
        echo "Building the extension..."
        mvn -B -q -f "$REPO/pom.xml" -pl mailet,smtp-hooks -am package -DskipTests
        EXTENSION_JARS=("$REPO"/mailet/target/james-mta-sts-mailet-*.jar "$REPO"/smtp-hooks/target/james-mta-sts-smtp-hooks-*.jar)
    fi
    local jar
    for jar in "${EXTENSION_JARS[@]}"; do
        [[ -f "$jar" ]] || fail "no extension jar at $jar"
    done
    echo "Fetching James 3.8.1 and its libraries into $JAMES_HOME/lib..."
    mkdir -p "$JAMES_HOME/lib" "$JAMES_HOME/extensions-jars" "$JAMES_HOME/conf" "$JAMES_HOME/logs"
    mvn -B -q -f "$REPO/james-conf/james-libraries-pom.xml" dependency:copy-dependencies \
        -DoutputDirectory="$JAMES_HOME/lib"
    rm -f "$JAMES_HOME"/extensions-jars/james-mta-sts-*.jar
    cp "${EXTENSION_JARS[@]}" "$JAMES_HOME/extensions-jars/"
    # The admin's edits of a prepared home are kept: only missing files are copied.
    cp -n "$REPO"/james-conf/conf/* "$JAMES_HOME/conf/"
    if [[ ! -f "$JAMES_HOME/conf/keystore" ]]; then
        # STARTTLS of James's own SMTP server (conf/smtpserver.xml): a self-signed key until you bring yours.
        keytool -genkeypair -alias james -keyalg RSA -keysize 2048 -validity 3650 -storetype PKCS12 \
            -keystore "$JAMES_HOME/conf/keystore" -storepass james72laBalle -dname "CN=$(hostname)" \
            >/dev/null 2>&1 || fail "keytool could not create $JAMES_HOME/conf/keystore"
    fi
    dkim_key
    echo "James home prepared in $JAMES_HOME"
}

# RFC 8460 §3: the key that signs TLS-RPT report mails (DKIMSign in conf/mailetcontainer.xml), made once;
# conf/tlsrpt-dkim.txt is the DNS record to publish as tlsrpt._domainkey.<submitter>.
dkim_key() {
    local key="$JAMES_HOME/conf/tlsrpt-dkim.pem"
    [[ -f "$key" ]] && return 0
    if command -v openssl >/dev/null; then
        openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$key" 2>/dev/null || fail "openssl could not create $key"
        printf 'v=DKIM1; k=rsa; p=%s\n' "$(openssl rsa -in "$key" -pubout -outform DER 2>/dev/null | base64 -w0)" \
            > "$JAMES_HOME/conf/tlsrpt-dkim.txt"
    else
        # No openssl: the JDK makes the same PKCS#8 key and DNS record.
        local source
        source="$(mktemp -d)/DkimKey.java"
        cat > "$source" <<'JAVA'
        import java.nio.file.*; import java.security.*; import java.util.Base64;
        public class DkimKey {
            public static void main(String[] args) throws Exception {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                String pem = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPrivate().getEncoded());
                Files.writeString(Path.of(args[0]), "-----BEGIN PRIVATE KEY-----\n" + pem + "\n-----END PRIVATE KEY-----\n");
                Files.writeString(Path.of(args[1]), "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n");
            }
        }
JAVA
        java "$source" "$key" "$JAMES_HOME/conf/tlsrpt-dkim.txt" || fail "could not create $key"
        rm -rf "$(dirname "$source")"
    fi
    chmod 600 "$key"
}

# Writes the TLS-RPT submitter (d=) and the DKIM key into the DKIMSign mailet of conf/mailetcontainer.xml.
sign_reports() {
    local conf="$JAMES_HOME/conf" submitter
    grep -q '<privateKey>' "$conf/mailetcontainer.xml" || return 0
    dkim_key
    submitter="$(sed -n 's/^tlsrpt\.submitter=//p' "$conf/mta-sts.properties" | tail -n 1 | tr -d '[:space:]')"
    [[ -n "$submitter" ]] || submitter="$(sed -n 's:.*<defaultDomain>\(.*\)</defaultDomain>.*:\1:p' "$conf/domainlist.xml" | head -n 1)"
    [[ -n "$submitter" ]] || submitter=localhost
    KEY="$(cat "$conf/tlsrpt-dkim.pem")" SUBMITTER="$submitter" perl -0pi -e \
        's|<privateKey>.*?</privateKey>|<privateKey>\n$ENV{KEY}\n</privateKey>|s; s|(<signatureTemplate>[^<]*?\bd=)[^;]*;|$1$ENV{SUBMITTER};|' \
        "$conf/mailetcontainer.xml"
}

default_dns() {
    local server
    server="$(awk '$1 == "nameserver" { print $2; exit }' /etc/resolv.conf 2>/dev/null || true)"
    [[ -n "$server" ]] || fail "no --dns given and no nameserver in /etc/resolv.conf"
    echo "No --dns given: using $server, the first nameserver of /etc/resolv.conf" >&2
    echo "$server"
}

configure() {
    local conf="$JAMES_HOME/conf"
    [[ -n "$DNS" ]] || DNS="$(default_dns)"
    [[ "$DNS" =~ ^[0-9a-fA-F.:]+$ ]] || fail "--dns needs an IP address, not '$DNS'"
    # James always asks port 53 of the servers listed here; they also become dnsjava's defaults,
    # which the extension uses for MTA-STS, MX and address look-ups.
    cat > "$conf/dnsservice.xml" <<EOF
<?xml version="1.0"?>
<!-- Written by run-james.sh at each start, from its dns option. -->
<dnsservice>
    <servers>
        <server>$DNS</server>
    </servers>
    <autodiscover>false</autodiscover>
    <authoritative>false</authoritative>
    <maxcachesize>50000</maxcachesize>
    <setAsDNSJavaDefault>true</setAsDNSJavaDefault>
</dnsservice>
EOF
    if [[ -n "$CA_FILE" ]]; then
        [[ -f "$CA_FILE" ]] || fail "no CA file at $CA_FILE"
        set_property "$conf/mta-sts.properties" caFile "$(cd "$(dirname "$CA_FILE")" && pwd)/$(basename "$CA_FILE")"
    fi
    if [[ "$ALLOW_PRIVATE" == true ]]; then
        set_property "$conf/mta-sts.properties" allowPrivateAddresses true
    fi
    [[ -z "$TLSRPT_PERIOD" ]] || set_property "$conf/mta-sts.properties" tlsrpt.period "$TLSRPT_PERIOD"
    [[ -z "$TLSRPT_SUBMITTER" ]] || set_property "$conf/mta-sts.properties" tlsrpt.submitter "$TLSRPT_SUBMITTER"
    if [[ -n "$SMTP_PORT" ]]; then
        # The first SMTP server's port only: further servers (submission, a second address) keep theirs.
        sed -i -E "0,/<bind>[^<]*:[0-9]+<\/bind>/s|<bind>([^<]*):[0-9]+</bind>|<bind>\\1:$SMTP_PORT</bind>|" "$conf/smtpserver.xml"
    fi
    [[ -z "$WEBADMIN_PORT" ]] || set_property "$conf/webadmin.properties" port "$WEBADMIN_PORT"
    if [[ -n "$SERVE_POLICY" ]]; then
        # James's own domains: their MTA-STS policies at https://mta-sts.<domain>/ (README, "James's own domains").
        [[ "$SERVE_POLICY" =~ ^(([0-9a-fA-F.:]+):)?([0-9]+)$ ]] || fail "--serve-policy needs [IP:]PORT, not '$SERVE_POLICY'"
        set_property "$conf/mta-sts.properties" serve.enabled true
        set_property "$conf/mta-sts.properties" serve.port "$(port --serve-policy "${BASH_REMATCH[3]}")"
        [[ -z "${BASH_REMATCH[2]}" ]] || set_property "$conf/mta-sts.properties" serve.bind "${BASH_REMATCH[2]}"
    fi
    if [[ -n "$POLICY_CERTIFICATES" ]]; then
        [[ -d "$POLICY_CERTIFICATES" ]] || fail "no certificate directory at $POLICY_CERTIFICATES"
        set_property "$conf/mta-sts.properties" serve.certificates "$(cd "$POLICY_CERTIFICATES" && pwd)"
    fi
    shared_state
    sign_reports
}

# Where the state the nodes of a cluster share is kept (README, "Running several nodes").
shared_state() {
    local conf="$JAMES_HOME/conf"
    case "$STATE" in
        "") ;;
        file) set_property "$conf/mta-sts.properties" state.store file ;;
        cassandra://?*)
            # The DataStax driver is James's own: lib/ of the memory server (through james-server-webadmin-jmap)
            # and of the distributed server have java-driver-core-4.15.0; nothing is added to extensions-jars/.
            ls "$JAMES_HOME"/lib/java-driver-core-4.*.jar >/dev/null 2>&1 \
                || fail "--state cassandra needs the DataStax driver 4.x in $JAMES_HOME/lib (James 3.8.1 ships java-driver-core-4.15.0.jar)"
            set_property "$conf/mta-sts.properties" state.store cassandra
            set_property "$conf/mta-sts.properties" state.cassandra.contactPoints "${STATE#cassandra://}"
            ;;
        *) fail "--state needs file or cassandra://HOST:PORT[,HOST:PORT...], not '$STATE'" ;;
    esac
    if [[ -n "$NODE" ]]; then
        [[ "$NODE" =~ ^[A-Za-z0-9._-]{1,64}$ ]] || fail "--node needs 1 to 64 letters, digits, '.', '-' or '_', not '$NODE'"
        set_property "$conf/mta-sts.properties" state.node "$NODE"
    fi
    if [[ -n "$SHARED_REPOSITORY" ]]; then
        # The delivery mailet's repository on a directory every node sees: James's file repository, told to list
        # the directory at each look rather than keep the keys it found at start (CACHEKEYS), since other nodes
        # add and remove mail there. Each delivery attempt is then claimed in the shared state. James opens file
        # repositories only under its home: the directory is reached through a link in var/mail/.
        mkdir -p "$SHARED_REPOSITORY" || fail "cannot make the directory $SHARED_REPOSITORY"
        local shared link="$JAMES_HOME/var/mail/mta-sts-shared"
        shared="$(cd "$SHARED_REPOSITORY" && pwd)"
        mkdir -p "$JAMES_HOME/var/mail"
        [[ ! -e "$link" || -L "$link" ]] || fail "$link exists and is not a link: move it away first"
        ln -sfn "$shared" "$link"
        sed -i -E "s|<repository>[^<]*</repository>|<repository>file://var/mail/mta-sts-shared/</repository>|" "$conf/mailetcontainer.xml"
        sed -i -E 's|CACHEKEYS="true"|CACHEKEYS="false"|' "$conf/mailrepositorystore.xml"
        set_property "$conf/mta-sts.properties" state.sharedRepository true
    fi
}

if [[ "$PREPARE" == true ]]; then
    prepare
    exit 0
fi
if ! ls "$JAMES_HOME"/lib/james-server-memory-app-*.jar >/dev/null 2>&1; then
    echo "$JAMES_HOME is not prepared yet: preparing it (this needs Maven Central once)."
    prepare
fi
configure
cd "$JAMES_HOME"
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -Dworking.directory="$JAMES_HOME" -Djames.home="$JAMES_HOME" \
    -Dlogback.configurationFile="$JAMES_HOME/conf/logback.xml" \
    -cp "$JAMES_HOME/lib/*" org.apache.james.MemoryJamesServerMain

#!/usr/bin/env bash
# Which of the mailet module's sources compile, unchanged, against James 3.9.0 (README, "James 3.9").
#
# Not a build of the module: its dependency set does not resolve at 3.9.0 here (james-server-webadmin-core and
# james-server-queue-memory 3.9.0 are not served). It resolves the James 3.9.0 jars that are served and that the
# mailet uses (with their dependencies: what a 3.9 server has of them), then runs JDK 21+ javac --release 21 on
# mailet/src/main/java with the core classes of `mvn -Pjames-3.9 test-compile -pl core -am`, drops every file
# with an error and compiles again until the rest compiles. It prints the files that compile and, per dropped
# file, its first error. With --with-javax it adds javax.mail 1.6.2 and javax.inject 1 (not on a 3.9 server) to
# the class path, to tell the jars that are missing from the signatures that changed.
#
#   mvn -B -o -Pjames-3.9 test-compile -pl core -am && bash mailet/james-3.9-check.sh [--with-javax]
#
# Maven resolves the class path (online the first time; pass MVN_OFFLINE=-o afterwards). Writes only under
# mailet/target/james-3.9-check/.
set -euo pipefail
cd "$(dirname "$0")/.."
JDK=${JAMES39_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
CORE=core/target/james-3.9/classes
WORK=mailet/target/james-3.9-check
[ -d "$CORE" ] || { echo "no $CORE: run mvn -B -o -Pjames-3.9 test-compile -pl core -am first" >&2; exit 2; }
mkdir -p "$WORK"

deps=""
for artifact in apache-mailet-api apache-mailet-base james-server-core james-server-queue-api \
    james-server-mailrepository-api metrics-api james-server-guice-common james-server-lifecycle-api \
    james-server-filesystem-api james-server-dnsservice-api; do
  deps="$deps<dependency><groupId>org.apache.james</groupId><artifactId>$artifact</artifactId><version>3.9.0</version></dependency>"
done
cat > "$WORK/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>check</groupId><artifactId>james-3.9-check</artifactId><version>1</version>
<dependencies>$deps</dependencies></project>
EOF
mvn -B ${MVN_OFFLINE:-} -f "$WORK/pom.xml" dependency:build-classpath -Dmdep.outputFile="$PWD/$WORK/classpath.txt" \
  > "$WORK/maven.log" 2>&1 || { tail -20 "$WORK/maven.log" >&2; exit 1; }
classpath="$(cat "$WORK/classpath.txt"):$CORE"
if [ "${1:-}" = "--with-javax" ]; then
  classpath="$classpath:$HOME/.m2/repository/com/sun/mail/javax.mail/1.6.2/javax.mail-1.6.2.jar"
  classpath="$classpath:$HOME/.m2/repository/javax/inject/javax.inject/1/javax.inject-1.jar"
fi

find mailet/src/main/java -name '*.java' | sort > "$WORK/sources.txt"
total=$(wc -l < "$WORK/sources.txt")
: > "$WORK/dropped.txt"
while [ -s "$WORK/sources.txt" ]; do
  rm -rf "$WORK/classes"
  if "$JDK/bin/javac" --release 21 -proc:none -Xmaxerrs 10000 -nowarn -d "$WORK/classes" -cp "$classpath" \
      @"$WORK/sources.txt" > "$WORK/errors.txt" 2>&1; then
    break
  fi
  grep -o '^[^ :]*\.java:[0-9]*: error: .*' "$WORK/errors.txt" | sort -s -t: -k1,1 -u >> "$WORK/dropped.txt"
  grep -o '^[^ :]*\.java' "$WORK/errors.txt" | sort -u > "$WORK/bad.txt"
  grep -vxF -f "$WORK/bad.txt" "$WORK/sources.txt" > "$WORK/rest.txt" || true
  mv "$WORK/rest.txt" "$WORK/sources.txt"
done
echo "compile unchanged against James 3.9.0: $(wc -l < "$WORK/sources.txt") of $total files"
sed 's|^mailet/src/main/java/io/github/jamesmtasts/|  |' "$WORK/sources.txt"
echo "do not (first error; a file dropped in a later round fails on a file dropped before):"
sed 's|^mailet/src/main/java/io/github/jamesmtasts/|  |' "$WORK/dropped.txt"

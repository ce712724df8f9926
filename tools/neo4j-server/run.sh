#!/usr/bin/env bash
# Starts a Neo4j 5.26 (community edition) for development and tests.
#   tools/neo4j-server/run.sh DATA_DIR [PORT]     (PORT 0, the default: a free port)
# Prints one line to eval, NEO4J_URI=... GRAPHSVC_NEO4J_USER=... GRAPHSVC_NEO4J_PASSWORD=...,
# then runs until SIGTERM / SIGINT. The password is NEO4J_TEST_PASSWORD, or a
# random one. Extra JVM options can be given in NEO4J_JAVA_OPTS.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/neo4j-server.jar"
classes="$here/target/neo4j-server.jsa"

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 DATA_DIR [PORT]" >&2
    exit 2
fi

# The machine is shared with the tests: a 1 GiB heap is ample for test-sized
# graphs (the page cache, 256 MiB, is set in the server and lives off-heap).
# The JVM's own warnings go to stderr, as stdout is the one line to eval.
# The -D options are ones Neo4j's own launcher sets.
java_opts=(
    -Xms256m -Xmx1g
    -XX:+ExitOnOutOfMemoryError
    -Xlog:disable -Xlog:all=warning:stderr
    -Djdk.nio.maxCachedBufferSize=1024
    -Dio.netty.tryReflectionSetAccessible=true
    -Dlog4j2.disable.jmx=true
)

# Build when the jar is missing or older than its sources. Offline first:
# after one build everything is in ~/.m2. Maven's output goes to stderr.
if [ ! -f "$jar" ] || [ ! -d "$here/target/lib" ] \
    || [ -n "$(find "$here/pom.xml" "$here/src" -newer "$jar" -print -quit)" ]; then
    rm -f "$classes"
    (
        cd "$here"
        mvn -B -q -o -Dstyle.color=never package >/dev/null 2>&1 || mvn -B -q -Dstyle.color=never package >&2
    )
    # Maven leaves an up-to-date jar alone; mark it as newer than its sources
    # so that touching pom.xml does not mean a build on every start.
    touch "$jar"
    # One start and stop on a scratch directory, saving the classes loaded
    # on the way (a CDS archive): later starts skip most class loading,
    # a few seconds each. Without the archive the server still starts.
    scratch="$(mktemp -d)"
    echo "neo4j-server: a first start to record its classes..." >&2
    if ! NEO4J_TEST_PASSWORD="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
        java "${java_opts[@]}" -XX:ArchiveClassesAtExit="$classes" \
        -Dneo4jserver.exitWhenReady=true -jar "$jar" "$scratch" 0 >/dev/null 2>"$scratch.log"; then
        echo "neo4j-server: recording classes failed (starting without): $(tail -n 3 "$scratch.log")" >&2
        rm -f "$classes"
    fi
    rm -rf "$scratch" "$scratch.log"
fi
if [ -f "$classes" ]; then
    java_opts+=(-XX:SharedArchiveFile="$classes")
fi

if [ -z "${NEO4J_TEST_PASSWORD:-}" ]; then
    NEO4J_TEST_PASSWORD="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
fi
export NEO4J_TEST_PASSWORD

# exec, so the signals reach the JVM and its exit code is this script's.
# shellcheck disable=SC2086  # NEO4J_JAVA_OPTS is a list of words
exec java "${java_opts[@]}" ${NEO4J_JAVA_OPTS:-} -jar "$jar" "$1" "${2:-0}"

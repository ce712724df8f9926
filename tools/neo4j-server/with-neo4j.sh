#!/usr/bin/env bash
# Runs a command with a real Neo4j beside it, then stops the server:
#   tools/neo4j-server/with-neo4j.sh COMMAND [ARG...]
# The server gets a fresh data directory; the command finds it through
# NEO4J_URI, GRAPHSVC_NEO4J_USER and GRAPHSVC_NEO4J_PASSWORD. The exit code
# is the command's.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
data="$(mktemp -d -t graphsvc-neo4j-XXXXXX)"
ready="$data.ready"
"$here/run.sh" "$data" 0 >"$ready" &
server=$!

stop() {
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    rm -rf "$data" "$ready"
}
trap stop EXIT

# A first run builds the server with Maven and records its classes: minutes.
for _ in $(seq 1 600); do
    if [ -s "$ready" ]; then break; fi
    if ! kill -0 "$server" 2>/dev/null; then
        echo "with-neo4j: the Neo4j server did not start (see above)" >&2
        exit 1
    fi
    sleep 0.5
done
if [ ! -s "$ready" ]; then
    echo "with-neo4j: the Neo4j server did not answer within 5 minutes" >&2
    exit 1
fi
set -a
# shellcheck disable=SC1090  # the one line the server prints: three assignments
. "$ready"
set +a
echo "with-neo4j: Neo4j at $NEO4J_URI" >&2
"$@"

#!/usr/bin/env bash
# Starts a Strand broker for ../shared/bench (JMS_START_CMD): in its own JVM, in the background, on
# 127.0.0.1:${STRAND_BENCH_PORT:-29717} with a fresh data directory; returns once it accepts
# connections and prints its PID on the last line. Flush mode fsync: a persistent send is durable.
# The data directory is deleted once the broker has exited (the harness stops it by its PID), so that
# runs do not fill the disk; broker.log stays beside it.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
jar="$here/broker-engine/target/strand-broker.jar"
[ -f "$jar" ] || (cd "$here" && mvn -B -q -DskipTests package -pl broker-engine -am)
port=${STRAND_BENCH_PORT:-29717}
work=$(mktemp -d /tmp/strand-bench-XXXXXX)
printf 'port=%s\ndata.dir=%s/data\n' "$port" "$work" > "$work/broker.properties"
nohup java ${STRAND_BENCH_JAVA_OPTS:--Xms4g -Xmx4g -XX:+UseG1GC} -jar "$jar" "$work/broker.properties" \
  > "$work/broker.log" 2>&1 &
pid=$!
# Detached from the harness' pipes, so that it does not hold up the caller.
nohup bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; rm -rf "$2/data"' _ "$pid" "$work" \
  > /dev/null 2>&1 &
for _ in $(seq 1 300); do
  if grep -q " ready on strand://" "$work/broker.log" 2>/dev/null; then
    echo "$pid"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    cat "$work/broker.log" >&2
    exit 1
  fi
  sleep 0.2
done
echo "strand did not become ready within 60 s; log: $work/broker.log" >&2
kill "$pid"
exit 1

#!/usr/bin/env bash
# Cluster benchmarks of Strand on this machine (benchmarks/README.md, section "Cluster"):
#   scripts/cluster-bench.sh failover   [--kills 20 --follower-kills 5 --controller-kills 5 --client product ...]
#   scripts/cluster-bench.sh throughput [--rounds 3 --targets strand-1,strand-3,kafka-3 ...]
#   scripts/cluster-bench.sh scale      [--destinations 100 --partitions 100 ...]
# Builds the broker jar and the benchmarks once if they are missing (REBUILD=1 builds again). Every broker runs
# in a JVM of its own on 127.0.0.1 at free ports and is stopped when the benchmark ends; results and logs go to
# benchmarks/target/cluster-bench unless --out says otherwise.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
case "${1:-}" in
  failover) main=io.strand.bench.cluster.FailoverBench ;;
  throughput) main=io.strand.bench.cluster.ThroughputBench ;;
  scale) main=io.strand.bench.cluster.ScaleBench ;;
  *) echo "usage: $0 failover|throughput|scale [flags]" >&2; exit 2 ;;
esac
shift
jar="$here/benchmarks/target/benchmarks.jar"
if [ -n "${REBUILD:-}" ] || [ ! -f "$jar" ] || [ ! -f "$here/broker-engine/target/strand-broker.jar" ] \
    || [ ! -d "$here/benchmarks/target/kafka-lib" ]; then
  (cd "$here" && mvn -o -B -q -DskipTests package -pl benchmarks -am)
fi
exec java -Xmx1g -cp "$jar" "$main" "$@"

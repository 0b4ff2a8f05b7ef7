#!/usr/bin/env bash
# A three-node Crescent cluster against one proxy alone: three redis-servers, three proxies each
# owning a third of the slots over its own Redis (the others as peers), measured with
# `redis-benchmark --cluster` (its clients spread over the three nodes, each using keys of its
# node's slots); and one proxy owning all slots over one of those Redis, measured with plain
# `redis-benchmark`. Interleaved rounds, medians; writes bench/results/cluster.md.
#
# The cluster's throughput per proxy is compared with the lone proxy's. All six processes share
# the machine's cores: on a machine with fewer than about 6 cores the per-proxy figure cannot
# match a proxy alone, and the report states the core count next to the ratio.
#
# Parameters (environment):
#   ROUNDS=3  REQUESTS=200000  CLIENTS=50  PIPELINE=1  WARMUP=300000
#   JAR=target/crescent.jar  JAVA_OPTS=...   how to run the proxies
#   OUT=bench/results/cluster.md
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_TAG=bench-cluster
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

ROUNDS="${ROUNDS:-3}"
REQUESTS="${REQUESTS:-200000}"
CLIENTS="${CLIENTS:-50}"
PIPELINE="${PIPELINE:-1}"
WARMUP="${WARMUP:-300000}"
OUT="${OUT:-$ROOT/bench/results/cluster.md}"
NODES=3

require_positive ROUNDS REQUESTS CLIENTS PIPELINE STARTUP_TIMEOUT
[[ "$WARMUP" =~ ^[0-9]+$ ]] || die "WARMUP must be a non-negative integer, got '$WARMUP'"
require_redis_tools
require_crescent

bench_init

RANGES=("0-5460" "5461-10922" "10923-16383")
REDIS_PORTS=()
PROXY_PORTS=()
for ((i = 0; i < NODES; i++)); do
  REDIS_PORTS+=("$(free_port)")
  USED_PORTS+=("${REDIS_PORTS[i]}")
  PROXY_PORTS+=("$(free_port)")
  USED_PORTS+=("${PROXY_PORTS[i]}")
done
SINGLE_PORT="$(free_port)"

for ((i = 0; i < NODES; i++)); do
  start_redis "${REDIS_PORTS[i]}"
done
for ((i = 0; i < NODES; i++)); do
  peers="" sep=""
  for ((j = 0; j < NODES; j++)); do
    [ "$j" = "$i" ] && continue
    peers+="$sep\"127.0.0.1:${PROXY_PORTS[j]}\": [\"${RANGES[j]}\"]"
    sep=", "
  done
  crescent_config "$TMP/node$i.json" "${PROXY_PORTS[i]}" "${REDIS_PORTS[i]}" "[\"${RANGES[i]}\"]" "{ $peers }"
  start_crescent "node$i" "${PROXY_PORTS[i]}" "$TMP/node$i.json"
done
# The lone proxy owns all slots over the first Redis (idle while the cluster is not measured).
crescent_config "$TMP/single.json" "$SINGLE_PORT" "${REDIS_PORTS[0]}"
start_crescent single "$SINGLE_PORT" "$TMP/single.json"
probe single "$SINGLE_PORT"

# Every node lists the three masters, and a key of each node's slots can be written and read
# through the first node (redis-cli -c follows MOVED).
nodes="$(redis-cli -h 127.0.0.1 -p "${PROXY_PORTS[0]}" cluster nodes | grep -c master || true)"
[ "$nodes" = "$NODES" ] || die "CLUSTER NODES on node0 lists $nodes masters, expected $NODES"
for key in a b c; do # slots 15495, 3300, 7365: one per node
  reply="$(redis-cli -c -h 127.0.0.1 -p "${PROXY_PORTS[0]}" set "crescent:bench:{$key}" 42 2>&1 || true)"
  [ "$reply" = OK ] || die "cluster SET crescent:bench:{$key} replied '$reply'"
  reply="$(redis-cli -c -h 127.0.0.1 -p "${PROXY_PORTS[0]}" get "crescent:bench:{$key}" 2>&1 || true)"
  [ "$reply" = 42 ] || die "cluster GET crescent:bench:{$key} replied '$reply'"
done
say "cluster of $NODES proxies ready: ${PROXY_PORTS[*]}"

bench_once() { # TARGET N
  if [ "$1" = cluster ]; then
    benchmark_csv "$TMP/last.csv" --cluster -h 127.0.0.1 -p "${PROXY_PORTS[0]}" -c "$CLIENTS" -n "$2" \
      -t set,get -P "$PIPELINE"
  else
    benchmark_csv "$TMP/last.csv" -h 127.0.0.1 -p "$SINGLE_PORT" -c "$CLIENTS" -n "$2" -t set,get -P "$PIPELINE"
  fi
}

if [ "$WARMUP" -gt 0 ]; then
  for target in cluster single; do
    say "warming up $target: $WARMUP requests per test"
    bench_once "$target" "$WARMUP" >/dev/null
  done
fi

ROWS="$TMP/rows" # round target test rps p50 p99
: >"$ROWS"
for ((round = 1; round <= ROUNDS; round++)); do
  if ((round % 2)); then targets="cluster single"; else targets="single cluster"; fi
  for target in $targets; do
    bench_once "$target" "$REQUESTS" | while read -r test rps p50 p99; do
      printf '%s %s %s %s %s %s\n' "$round" "$target" "$test" "$rps" "$p50" "$p99"
    done >>"$ROWS"
    say "round $round/$ROUNDS $target: $(awk -v r="$round" -v t="$target" '$1 == r && $2 == t { printf "%s %.0f/s  ", $3, $4 }' "$ROWS")"
  done
done

median() { # TARGET TEST COLUMN (4 = rps, 5 = p50 ms, 6 = p99 ms)
  awk -v t="$1" -v x="$2" -v c="$3" '$2 == t && $3 == x { print $c }' "$ROWS" | median_of
}

report() {
  local test cluster single
  cat <<MD
# Crescent: three-proxy cluster vs one proxy

**Machine: $(nproc) CPU cores** shared by all $((2 * NODES + 1)) servers ($NODES redis-server, $NODES
cluster proxies, and the lone proxy, idle while the cluster runs). With fewer than about $((2 * NODES))
cores the cluster's proxies and Redis compete for the same cores, so its throughput per proxy cannot
match a proxy alone; on such a machine read the ratio as the cluster's overhead plus CPU sharing.

Cluster: $NODES proxies, each owning a third of the slots (${RANGES[*]}) over its own redis-server,
the others configured as peers; \`redis-benchmark --cluster\` spreads its $CLIENTS clients over the
nodes, each client using keys (hash-tagged) of its node's slots, so no command is redirected.
Single: one proxy owning all slots over one redis-server, \`redis-benchmark\` with $CLIENTS clients.
Median of $ROUNDS alternating rounds, requests per second.

| Test | Cluster total | Cluster per proxy | Single proxy | Per proxy / single | Total / single | p50 / p99 ms cluster | p50 / p99 ms single |
|------|---------:|---------:|---------:|---------:|---------:|---------:|---------:|
MD
  for test in SET GET; do
    cluster="$(median cluster "$test" 4)"
    single="$(median single "$test" 4)"
    awk -v t="$test" -v c="$cluster" -v s="$single" -v n="$NODES" \
      -v cl="$(median cluster "$test" 5) / $(median cluster "$test" 6)" \
      -v sl="$(median single "$test" 5) / $(median single "$test" 6)" \
      'BEGIN { printf "| %s | %.0f | %.0f | %.0f | %.2fx | %.2fx | %s | %s |\n", t, c, c / n, s, c / n / s, c / s, cl, sl }'
  done
  cat <<MD

## Setup

$(machine_facts)
- Cluster: \`redis-benchmark --cluster -h 127.0.0.1 -p PORT -c $CLIENTS -n $REQUESTS -t set,get -P $PIPELINE --csv -q\`
- Single: \`redis-benchmark -h 127.0.0.1 -p PORT -c $CLIENTS -n $REQUESTS -t set,get -P $PIPELINE --csv -q\`
- Warm-up: $WARMUP requests per test on each
- Run with: \`ROUNDS=$ROUNDS REQUESTS=$REQUESTS CLIENTS=$CLIENTS PIPELINE=$PIPELINE WARMUP=$WARMUP bench/cluster.sh\`
MD
}

report | write_report "$OUT"

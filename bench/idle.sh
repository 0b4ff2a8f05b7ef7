#!/usr/bin/env bash
# What many idle client connections cost the proxy: its resident memory (VmRSS) before and with
# IDLE idle connections, and redis-benchmark throughput with and without them (interleaved
# rounds, medians). Starts its own redis-server and Crescent (owning all slots) on free ports and
# writes bench/results/idle.md. Targets (issue 5): RSS below RSS_TARGET_MB with the idle
# connections, throughput with them at least RATIO_TARGET of that without.
#
# Parameters (environment):
#   IDLE=10000               idle connections (bench/IdleClients.java), each sends one PING first
#   ROUNDS=3                 rounds; each runs the benchmark without and with the idle connections
#   REQUESTS=200000          requests per test (redis-benchmark -n)
#   CLIENTS=50  PIPELINE=1   redis-benchmark -c and -P
#   WARMUP=300000            requests per test sent through the proxy before measuring
#   RSS_TARGET_MB=300  RATIO_TARGET=0.90
#   JAR=target/crescent.jar  JAVA_OPTS=...   how to run the proxy
#   OUT=bench/results/idle.md
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_TAG=bench-idle
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

IDLE="${IDLE:-10000}"
ROUNDS="${ROUNDS:-3}"
REQUESTS="${REQUESTS:-200000}"
CLIENTS="${CLIENTS:-50}"
PIPELINE="${PIPELINE:-1}"
WARMUP="${WARMUP:-300000}"
RSS_TARGET_MB="${RSS_TARGET_MB:-300}"
RATIO_TARGET="${RATIO_TARGET:-0.90}"
OUT="${OUT:-$ROOT/bench/results/idle.md}"

require_positive IDLE ROUNDS REQUESTS CLIENTS PIPELINE RSS_TARGET_MB STARTUP_TIMEOUT
[[ "$WARMUP" =~ ^[0-9]+$ ]] || die "WARMUP must be a non-negative integer, got '$WARMUP'"
require_redis_tools
require_crescent

# Each idle connection is a descriptor in the client program and one in the proxy.
need_fds=$((IDLE + CLIENTS + 1000))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need_fds" ]; then
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fi
fds="$(ulimit -n)"
if [ "$fds" != unlimited ] && [ "$fds" -lt "$need_fds" ]; then
  die "open files limit is $fds (hard $(ulimit -Hn)); $IDLE idle connections need about $need_fds"
fi

bench_init

REDIS_PORT="$(free_port)"
start_redis "$REDIS_PORT"
PROXY_PORT="$(free_port)"
# max_clients (default 10000) must leave room for the idle connections and the benchmark's.
crescent_config "$TMP/crescent.json" "$PROXY_PORT" "$REDIS_PORT" '["0-16383"]' '{}' \
  "
  \"max_clients\": $need_fds,"
start_crescent Crescent "$PROXY_PORT" "$TMP/crescent.json"
PROXY_PID="$LAST_PID"
probe Crescent "$PROXY_PORT"

mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

# The proxy's own count of client connections (INFO's "# Proxy" section); 0 if it cannot tell.
proxy_clients() {
  local n
  n="$(redis-cli -h 127.0.0.1 -p "$PROXY_PORT" info proxy 2>/dev/null | tr -d '\r' \
    | sed -n 's/^connected_clients://p' | tail -n 1)"
  printf '%s\n' "${n:-0}"
}

IDLE_PID=""
IDLE_OPEN_MS=()

open_idle() {
  say "opening $IDLE idle connections"
  java -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "$ROOT/bench/IdleClients.java" \
    127.0.0.1 "$PROXY_PORT" "$IDLE" >"$TMP/idle.out" 2>"$TMP/idle.err" &
  IDLE_PID="$!"
  PIDS+=("$IDLE_PID")
  local deadline=$((SECONDS + 120))
  until grep -q '^ready' "$TMP/idle.out"; do
    if ! kill -0 "$IDLE_PID" 2>/dev/null; then
      cat "$TMP/idle.err" >&2
      die "the idle clients failed (proxy log: $TMP/Crescent.log)"
    fi
    [ "$SECONDS" -lt "$deadline" ] || die "$IDLE idle connections not open after 120 s"
    sleep 0.2
  done
  say "$(cat "$TMP/idle.out"); the proxy counts $(proxy_clients) clients"
}

close_idle() {
  stop_pid "$IDLE_PID"
  IDLE_PID=""
  # Until the proxy has seen them go (only redis-cli's own connection left).
  local deadline=$((SECONDS + 60))
  while [ "$(proxy_clients)" -gt 1 ]; do
    [ "$SECONDS" -lt "$deadline" ] || die "the proxy still counts $(proxy_clients) clients"
    sleep 0.2
  done
}

ROWS="$TMP/rows" # round mode test rps p50 p99
: >"$ROWS"

bench_once() {
  benchmark_csv "$TMP/last.csv" -h 127.0.0.1 -p "$PROXY_PORT" -c "$CLIENTS" -n "$1" -t set,get -P "$PIPELINE"
}

measure() { # ROUND MODE
  bench_once "$REQUESTS" | while read -r test rps p50 p99; do
    printf '%s %s %s %s %s %s\n' "$1" "$2" "$test" "$rps" "$p50" "$p99"
  done >>"$ROWS"
  say "round $1/$ROUNDS $2: $(awk -v r="$1" -v m="$2" '$1 == r && $2 == m { printf "%s %.0f/s  ", $3, $4 }' "$ROWS")"
}

if [ "$WARMUP" -gt 0 ]; then
  say "warming up: $WARMUP requests per test"
  bench_once "$WARMUP" >/dev/null
fi
RSS_BEFORE="$(rss_kb "$PROXY_PID")"
say "proxy RSS before idle connections: $(mb "$RSS_BEFORE") MB"

RSS_IDLE=0       # largest RSS seen right after the idle connections opened
RSS_IDLE_BENCH=0 # largest RSS seen after a benchmark with them
RSS_AFTER=0      # RSS after the last idle connections closed
for ((round = 1; round <= ROUNDS; round++)); do
  # Alternate the order so that neither mode always runs first.
  if ((round % 2)); then modes="none idle"; else modes="idle none"; fi
  for mode in $modes; do
    if [ "$mode" = idle ]; then
      open_idle
      rss="$(rss_kb "$PROXY_PID")"
      [ "$rss" -gt "$RSS_IDLE" ] && RSS_IDLE="$rss"
      IDLE_OPEN_MS+=("$(sed -n 's/^ready [0-9]* in \([0-9]*\) ms$/\1/p' "$TMP/idle.out")")
      measure "$round" idle
      rss="$(rss_kb "$PROXY_PID")"
      [ "$rss" -gt "$RSS_IDLE_BENCH" ] && RSS_IDLE_BENCH="$rss"
      say "proxy RSS with $IDLE idle connections: $(mb "$RSS_IDLE") MB, after the benchmark $(mb "$rss") MB"
      close_idle
      RSS_AFTER="$(rss_kb "$PROXY_PID")"
    else
      measure "$round" none
    fi
  done
done
RSS_PEAK="$(hwm_kb "$PROXY_PID")"

median() { # MODE TEST COLUMN (4 = rps, 5 = p50 ms, 6 = p99 ms)
  awk -v m="$1" -v x="$2" -v c="$3" '$2 == m && $3 == x { print $c }' "$ROWS" | median_of
}

# verdict A OP B (OP: lt or ge): "met" when A OP B holds, else "**missed**".
verdict() {
  if awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN { exit !(op == "lt" ? a + 0 < b + 0 : a + 0 >= b + 0) }'; then
    echo met
  else
    echo "**missed**"
  fi
}

report() {
  local rss_max test none idle ratio worst=999
  rss_max="$RSS_IDLE"
  [ "$RSS_IDLE_BENCH" -gt "$rss_max" ] && rss_max="$RSS_IDLE_BENCH"
  cat <<MD
# Crescent with $IDLE idle connections

One proxy owning all slots over one redis-server. \`bench/IdleClients.java\` opens $IDLE client
connections (each sends one \`PING\`, then stays idle); redis-benchmark runs with and without them
in $ROUNDS alternating rounds.

## Memory (proxy VmRSS)

| When | RSS (MB) |
|------|---------:|
| Warmed up, no idle connections | $(mb "$RSS_BEFORE") |
| $IDLE idle connections open | $(mb "$RSS_IDLE") |
| Same, after a benchmark with them | $(mb "$RSS_IDLE_BENCH") |
| Idle connections closed again | $(mb "$RSS_AFTER") |
| Peak over the run (VmHWM) | $(mb "$RSS_PEAK") |

Target: below $RSS_TARGET_MB MB with the idle connections: $(verdict "$rss_max" lt "$((RSS_TARGET_MB * 1024))") ($(mb "$rss_max") MB).
Opening them took $(printf '%s\n' "${IDLE_OPEN_MS[@]}" | median_of) ms (median).

## Throughput (median req/s, redis-benchmark -c $CLIENTS -P $PIPELINE)

| Test | No idle connections | With $IDLE idle | With / without | p50 / p99 ms without | p50 / p99 ms with |
|------|---------:|---------:|---------:|---------:|---------:|
MD
  for test in SET GET; do
    none="$(median none "$test" 4)"
    idle="$(median idle "$test" 4)"
    ratio="$(awk -v a="$idle" -v b="$none" 'BEGIN { printf "%.2f", a / b }')"
    worst="$(awk -v a="$ratio" -v b="$worst" 'BEGIN { print (a < b ? a : b) }')"
    printf '| %s | %.0f | %.0f | %sx | %s / %s | %s / %s |\n' "$test" "$none" "$idle" "$ratio" \
      "$(median none "$test" 5)" "$(median none "$test" 6)" "$(median idle "$test" 5)" "$(median idle "$test" 6)"
  done
  cat <<MD

Target: with / without at least $RATIO_TARGET: $(verdict "$worst" ge "$RATIO_TARGET") (lowest ${worst}x).

## Setup

$(machine_facts)
- Open files limit: $(ulimit -n); proxy \`max_clients\` $need_fds
- Command per test: \`redis-benchmark -h 127.0.0.1 -p PORT -c $CLIENTS -n $REQUESTS -t set,get -P $PIPELINE --csv -q\`;
  warm-up $WARMUP requests per test
- Run with: \`IDLE=$IDLE ROUNDS=$ROUNDS REQUESTS=$REQUESTS CLIENTS=$CLIENTS PIPELINE=$PIPELINE WARMUP=$WARMUP bench/idle.sh\`
MD
}

report | write_report "$OUT"

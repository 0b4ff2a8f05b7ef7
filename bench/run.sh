#!/usr/bin/env bash
# Throughput of plain Redis vs. Crescent (vs. twemproxy when installed), measured with
# redis-benchmark in interleaved rounds. Starts its own redis-server, proxy and twemproxy on
# free ports, prints a Markdown table and writes it to bench/results/latest.md.
#
# Parameters (environment):
#   ROUNDS=3                 rounds per target; targets are interleaved within each round
#   REQUESTS=200000          requests per test at -P 1
#   PIPELINED_REQUESTS=...   requests per test at -P > 1 (default 5 x REQUESTS)
#   CLIENTS=50               redis-benchmark -c
#   PIPELINES="1 16"         redis-benchmark -P values
#   WARMUP=300000            requests per test and pipeline sent through each proxy before measuring
#   WITH_TWEMPROXY=auto      auto: include twemproxy if `nutcracker` is installed; 1: require it; 0: skip
#   WITH_CRESCENT=1          0 skips Crescent (only useful to test this script)
#   JAR=target/crescent.jar  JAVA_OPTS=...   how to run the proxy
#   OUT=bench/results/latest.md
# CRESCENT_* variables other than CRESCENT_ADDRESS, CRESCENT_ANNOUNCE_ADDRESS and
# CRESCENT_CLUSTER are passed to the proxy (e.g. CRESCENT_BACKEND_CONNECTIONS=2) and recorded.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

ROUNDS="${ROUNDS:-3}"
REQUESTS="${REQUESTS:-200000}"
PIPELINED_REQUESTS="${PIPELINED_REQUESTS:-$((REQUESTS * 5))}"
CLIENTS="${CLIENTS:-50}"
PIPELINES="${PIPELINES:-1 16}"
WARMUP="${WARMUP:-300000}"
WITH_TWEMPROXY="${WITH_TWEMPROXY:-auto}"
WITH_CRESCENT="${WITH_CRESCENT:-1}"
OUT="${OUT:-$ROOT/bench/results/latest.md}"

require_positive ROUNDS REQUESTS PIPELINED_REQUESTS CLIENTS STARTUP_TIMEOUT
[[ "$WARMUP" =~ ^[0-9]+$ ]] || die "WARMUP must be a non-negative integer, got '$WARMUP'"
[ -n "${PIPELINES// /}" ] || die "PIPELINES is empty"
for p in $PIPELINES; do
  if ! positive "$p"; then die "PIPELINES must list positive integers, got '$PIPELINES'"; fi
done

require_redis_tools
case "$WITH_TWEMPROXY" in
  auto) if command -v nutcracker >/dev/null 2>&1; then WITH_TWEMPROXY=1; else WITH_TWEMPROXY=0; fi ;;
  1) command -v nutcracker >/dev/null 2>&1 || die "WITH_TWEMPROXY=1 but nutcracker is not installed (apt-get install nutcracker)" ;;
  0) ;;
  *) die "WITH_TWEMPROXY must be auto, 0 or 1" ;;
esac
if [ "$WITH_CRESCENT" = 1 ]; then require_crescent; fi

# --- processes -----------------------------------------------------------------------------

bench_init

REDIS_PORT="$(free_port)"
start_redis "$REDIS_PORT"

TARGETS=(direct)
declare -A PORT_OF=([direct]="$REDIS_PORT")
declare -A LABEL_OF=([direct]="Redis direct" [crescent]="Crescent" [twemproxy]="twemproxy")
declare -A PID_OF=()

if [ "$WITH_CRESCENT" = 1 ]; then
  CRESCENT_PORT="$(free_port)"
  crescent_config "$TMP/crescent.json" "$CRESCENT_PORT" "$REDIS_PORT"
  start_crescent Crescent "$CRESCENT_PORT" "$TMP/crescent.json"
  probe Crescent "$CRESCENT_PORT"
  TARGETS+=(crescent)
  PORT_OF[crescent]="$CRESCENT_PORT"
  PID_OF[crescent]="$LAST_PID"
  TRANSPORT="$(transport_of "$CRESCENT_PORT")"
fi

if [ "$WITH_TWEMPROXY" = 1 ]; then
  TWEM_PORT="$(free_port)"
  USED_PORTS+=("$TWEM_PORT")
  TWEM_STATS_PORT="$(free_port)"
  USED_PORTS+=("$TWEM_STATS_PORT")
  cat >"$TMP/nutcracker.yml" <<YML
bench:
  listen: 127.0.0.1:$TWEM_PORT
  redis: true
  hash: fnv1a_64
  distribution: ketama
  auto_eject_hosts: false
  servers:
    - 127.0.0.1:$REDIS_PORT:1
YML
  nutcracker -t -c "$TMP/nutcracker.yml" >"$TMP/nutcracker.log" 2>&1 \
    || { cat "$TMP/nutcracker.log" >&2; die "invalid nutcracker configuration"; }
  say "starting twemproxy on 127.0.0.1:$TWEM_PORT"
  nutcracker -c "$TMP/nutcracker.yml" -a 127.0.0.1 -s "$TWEM_STATS_PORT" \
    -o "$TMP/nutcracker.log" >"$TMP/nutcracker.out" 2>&1 &
  PIDS+=("$!")
  PID_OF[twemproxy]="$!"
  wait_ready twemproxy "$TWEM_PORT" "$!" "$TMP/nutcracker.log"
  probe twemproxy "$TWEM_PORT"
  TARGETS+=(twemproxy)
  PORT_OF[twemproxy]="$TWEM_PORT"
fi

# --- measuring -----------------------------------------------------------------------------

requests_for() { if [ "$1" -gt 1 ]; then echo "$PIPELINED_REQUESTS"; else echo "$REQUESTS"; fi; }

# bench_once TARGET P N: prints "SET rps p50 p99" and "GET rps p50 p99"; for a proxy, also
# "CPU us_per_request": the proxy's own CPU time (user + system) over the 2 x N requests, which
# the machine's swings in speed move far less than requests per second.
bench_once() {
  local port="${PORT_OF[$1]}" pid="${PID_OF[$1]:-}" before after
  [ -z "$pid" ] || before="$(cpu_ticks "$pid")"
  benchmark_csv "$TMP/last.csv" -h 127.0.0.1 -p "$port" -c "$CLIENTS" -n "$3" -t set,get -P "$2"
  if [ -n "$pid" ]; then
    after="$(cpu_ticks "$pid")"
    awk -v d="$((after - before))" -v hz="$CLK_TCK" -v n="$3" 'BEGIN { printf "CPU %.3f\n", d / hz * 1e6 / (2 * n) }'
  fi
}

for target in "${TARGETS[@]}"; do
  [ "$target" = direct ] && continue
  [ "$WARMUP" -gt 0 ] || break
  for p in $PIPELINES; do
    say "warming up $target: $WARMUP requests per test at -P $p"
    bench_once "$target" "$p" "$WARMUP" >/dev/null
  done
done

ROWS="$TMP/rows" # round target P test rps p50 p99
: >"$ROWS"
for ((round = 1; round <= ROUNDS; round++)); do
  for p in $PIPELINES; do
    n="$(requests_for "$p")"
    # Rotate the order each round so no target always runs first.
    for ((i = 0; i < ${#TARGETS[@]}; i++)); do
      target="${TARGETS[(i + round - 1) % ${#TARGETS[@]}]}"
      bench_once "$target" "$p" "$n" | while read -r test rps p50 p99; do
        printf '%s %s %s %s %s %s %s\n' "$round" "$target" "$p" "$test" "$rps" "$p50" "$p99"
      done >>"$ROWS"
      say "round $round/$ROUNDS -P $p $target: $(awk -v t="$target" -v r="$round" -v p="$p" \
        '$1 == r && $2 == t && $3 == p { printf "%s", ($4 == "CPU" ? sprintf("CPU %.1f us/req", $5) : sprintf("%s %.0f/s  ", $4, $5)) }' "$ROWS")"
    done
  done
done

# median TARGET P TEST COLUMN (5 = rps, 6 = p50 ms, 7 = p99 ms)
median() {
  awk -v t="$1" -v p="$2" -v x="$3" -v c="$4" '$2 == t && $3 == p && $4 == x { print $c }' "$ROWS" \
    | median_of
}

# --- report --------------------------------------------------------------------------------

# round_ratio A B P TEST: the median over rounds of A's req/s over B's in the same round. Runs of
# one round are minutes apart at most, so on a shared machine this is steadier than a ratio of
# medians.
round_ratio() {
  awk -v a="$1" -v b="$2" -v p="$3" -v x="$4" '$3 == p && $4 == x && ($2 == a || $2 == b) {
      v[$1 SUBSEP $2] = $5; r[$1] = 1 }
    END { for (i in r) if (v[i SUBSEP b] > 0) printf "%.4f\n", v[i SUBSEP a] / v[i SUBSEP b] }' "$ROWS" \
    | median_of
}

# check VALUE OP LIMIT: "met" or "**missed**".
check() { awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
  ok = (op == ">=") ? v >= l : v <= l; print (ok ? "met" : "**missed**") }'; }

# The targets of issue 5 that this run measures (Crescent against twemproxy and direct Redis).
targets_table() {
  local p test ratio limit cells verdicts c t
  printf '| Target | SET | GET | |\n|------|---------:|---------:|------|\n'
  for p in $PIPELINES; do
    case "$p" in 1) limit=1.00 ;; 16) limit=1.25 ;; *) continue ;; esac
    cells="" verdicts=""
    for test in SET GET; do
      ratio="$(round_ratio crescent twemproxy "$p" "$test")"
      cells+=" | $(printf '%.2fx' "$ratio")"
      verdicts+="${verdicts:+, }$test $(check "$ratio" ">=" "$limit")"
    done
    printf '| Crescent / twemproxy at -P %s, at least %s%s | %s |\n' "$p" "$limit" "$cells" "$verdicts"
  done
  if [[ " $PIPELINES " == *" 1 "* ]]; then
    cells="" verdicts=""
    for test in SET GET; do
      ratio="$(round_ratio crescent direct 1 "$test")"
      cells+=" | $(printf '%.2fx' "$ratio")"
      verdicts+="${verdicts:+, }$test $(check "$ratio" ">=" 0.85)"
    done
    printf '| Crescent / direct at -P 1, at least 0.85%s | %s |\n' "$cells" "$verdicts"
    cells="" verdicts=""
    for test in SET GET; do
      c="$(median crescent 1 "$test" 7)"
      t="$(median twemproxy 1 "$test" 7)"
      cells+=" | $c / $t"
      verdicts+="${verdicts:+, }$test $(check "$c" "<=" "$t")"
    done
    printf '| p99 ms at -P 1, Crescent / twemproxy, no worse%s | %s |\n' "$cells" "$verdicts"
  fi
}

# Each proxy's own CPU time per request (user + system, SET and GET together), median over rounds.
cpu_table() {
  local header="| Pipeline" sep="|------:" target p
  for target in "${TARGETS[@]}"; do
    [ "$target" = direct ] && continue
    header+=" | ${LABEL_OF[$target]} (µs)"
    sep+="|---------:"
  done
  printf '%s |\n%s|\n' "$header" "$sep"
  for p in $PIPELINES; do
    printf '| %s' "$p"
    for target in "${TARGETS[@]}"; do
      [ "$target" = direct ] && continue
      printf ' | %s' "$(median "$target" "$p" CPU 5)"
    done
    printf ' |\n'
  done
}

table() {
  local header="| Test | Pipeline" sep="|------|---------:" target p test direct value
  for target in "${TARGETS[@]}"; do
    header+=" | ${LABEL_OF[$target]} (req/s)"
    sep+="|---------:"
    if [ "$target" != direct ]; then
      header+=" | ${LABEL_OF[$target]} / direct"
      sep+="|---------:"
    fi
  done
  printf '%s |\n%s|\n' "$header" "$sep"
  for test in SET GET; do
    for p in $PIPELINES; do
      direct="$(median direct "$p" "$test" 5)"
      printf '| %s | %s' "$test" "$p"
      for target in "${TARGETS[@]}"; do
        value="$(median "$target" "$p" "$test" 5)"
        printf ' | %s' "$(awk -v v="$value" 'BEGIN { printf "%.0f", v }')"
        if [ "$target" != direct ]; then
          printf ' | %s' "$(awk -v v="$value" -v d="$direct" 'BEGIN { printf "%.2fx", v / d }')"
        fi
      done
      printf ' |\n'
    done
  done
}

latency_table() {
  local header="| Test | Pipeline" sep="|------|---------:" target p test
  for target in "${TARGETS[@]}"; do
    header+=" | ${LABEL_OF[$target]} p50 / p99 (ms)"
    sep+="|---------:"
  done
  printf '%s |\n%s|\n' "$header" "$sep"
  for test in SET GET; do
    for p in $PIPELINES; do
      printf '| %s | %s' "$test" "$p"
      for target in "${TARGETS[@]}"; do
        printf ' | %s / %s' "$(median "$target" "$p" "$test" 6)" "$(median "$target" "$p" "$test" 7)"
      done
      printf ' |\n'
    done
  done
}

report() {
  local crescent_env
  crescent_env="$(env | grep '^CRESCENT_' | grep -v -e '^CRESCENT_ADDRESS=' \
    -e '^CRESCENT_ANNOUNCE_ADDRESS=' -e '^CRESCENT_CLUSTER=' | sort | paste -sd' ' - || true)"
  cat <<MD
# Crescent benchmark

Median of $ROUNDS interleaved rounds per target; requests per second (higher is better) and the
ratio to Redis direct. Every target forwards to the same single redis-server.

$(table)
$(if [ "$WITH_CRESCENT" = 1 ] && [ "$WITH_TWEMPROXY" = 1 ]; then
  printf '\nIssue 5 targets (ratios: median over rounds of the ratio within each round):\n\n'
  targets_table
fi)

Median latency (ms) reported by redis-benchmark:

$(latency_table)
$(if [ "${#TARGETS[@]}" -gt 1 ]; then
  printf '\nCPU time of each proxy process per request (µs, user + system over the SET and GET of a test,\n'
  printf 'median over rounds; lower is better). The machine'"'"'s swings in speed move this far less than\n'
  printf 'requests per second.\n\n'
  cpu_table
fi)

## Setup

- Date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')
- Machine: $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1 || echo unknown)), Linux $(uname -r)
- Java: $(if [ "$WITH_CRESCENT" = 1 ]; then first_line java -version; else echo "not used"; fi)
- Redis: $(redis-server --version)
- twemproxy: $(if [ "$WITH_TWEMPROXY" = 1 ]; then first_line nutcracker -V; else echo "not installed / skipped"; fi)
- Crescent: $(if [ "$WITH_CRESCENT" = 1 ]; then echo "$(crescent_build) on ${TRANSPORT:-?}, JAVA_OPTS=\`$JAVA_OPTS\`${crescent_env:+, $crescent_env}"; else echo "skipped (WITH_CRESCENT=0)"; fi)
- Command per test: \`redis-benchmark -h 127.0.0.1 -p PORT -c $CLIENTS -n N -t set,get -P P --csv -q\`
  with N = $REQUESTS at -P 1 and $PIPELINED_REQUESTS at higher pipelines; P in: $PIPELINES
- Warm-up per proxy: $WARMUP requests per test at each pipeline depth
- Run with: \`ROUNDS=$ROUNDS REQUESTS=$REQUESTS PIPELINED_REQUESTS=$PIPELINED_REQUESTS CLIENTS=$CLIENTS PIPELINES="$PIPELINES" WARMUP=$WARMUP bench/run.sh\`
MD
}

report | write_report "$OUT"

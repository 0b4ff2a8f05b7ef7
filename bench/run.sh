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

ROUNDS="${ROUNDS:-3}"
REQUESTS="${REQUESTS:-200000}"
PIPELINED_REQUESTS="${PIPELINED_REQUESTS:-$((REQUESTS * 5))}"
CLIENTS="${CLIENTS:-50}"
PIPELINES="${PIPELINES:-1 16}"
WARMUP="${WARMUP:-300000}"
WITH_TWEMPROXY="${WITH_TWEMPROXY:-auto}"
WITH_CRESCENT="${WITH_CRESCENT:-1}"
JAR="${JAR:-$ROOT/target/crescent.jar}"
JAVA_OPTS="${JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseZGC -XX:+AlwaysPreTouch}"
OUT="${OUT:-$ROOT/bench/results/latest.md}"
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-30}"

say() { printf 'bench: %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

positive() { [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -gt 0 ]; }
for var in ROUNDS REQUESTS PIPELINED_REQUESTS CLIENTS STARTUP_TIMEOUT; do
  if ! positive "${!var}"; then die "$var must be a positive integer, got '${!var}'"; fi
done
[[ "$WARMUP" =~ ^[0-9]+$ ]] || die "WARMUP must be a non-negative integer, got '$WARMUP'"
[ -n "${PIPELINES// /}" ] || die "PIPELINES is empty"
for p in $PIPELINES; do
  if ! positive "$p"; then die "PIPELINES must list positive integers, got '$PIPELINES'"; fi
done

for tool in redis-server redis-cli redis-benchmark; do
  command -v "$tool" >/dev/null 2>&1 \
    || die "$tool not found; install redis-server and redis-tools (scripts/deps.sh redis)"
done
case "$WITH_TWEMPROXY" in
  auto) if command -v nutcracker >/dev/null 2>&1; then WITH_TWEMPROXY=1; else WITH_TWEMPROXY=0; fi ;;
  1) command -v nutcracker >/dev/null 2>&1 || die "WITH_TWEMPROXY=1 but nutcracker is not installed (apt-get install nutcracker)" ;;
  0) ;;
  *) die "WITH_TWEMPROXY must be auto, 0 or 1" ;;
esac
if [ "$WITH_CRESCENT" = 1 ]; then
  command -v java >/dev/null 2>&1 || die "java not found"
  [ -f "$JAR" ] || die "$JAR not found; build it first with: make"
fi

# --- processes -----------------------------------------------------------------------------

TMP="$(mktemp -d "${TMPDIR:-/tmp}/crescent-bench.XXXXXX")"
PIDS=()

stop_pid() {
  local pid="$1"
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$? i
  trap - EXIT INT TERM
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    stop_pid "${PIDS[i]}"
  done
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A free TCP port in 20000-49999, never 6379 nor one of the ports given as arguments.
free_port() {
  local port taken
  for _ in $(seq 1 500); do
    port=$((20000 + RANDOM % 30000))
    taken=0
    for used in "$@"; do [ "$used" = "$port" ] && taken=1; done
    if [ "$taken" = 0 ] && ! port_in_use "$port"; then
      printf '%s\n' "$port"
      return 0
    fi
  done
  die "no free port found"
}

# wait_ready NAME PORT PID LOG: until PING answers PONG; fails clearly if the process exits.
wait_ready() {
  local name="$1" port="$2" pid="$3" log="$4" deadline=$((SECONDS + STARTUP_TIMEOUT))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      say "$name (pid $pid) exited during startup; last lines of $log:"
      tail -n 30 "$log" >&2 || true
      die "$name did not start"
    fi
    if [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = PONG ]; then
      say "$name ready on 127.0.0.1:$port"
      return 0
    fi
    sleep 0.2
  done
  say "$name did not answer PING on 127.0.0.1:$port within ${STARTUP_TIMEOUT}s; last lines of $log:"
  tail -n 30 "$log" >&2 || true
  die "$name did not start"
}

# probe NAME PORT: a SET and a GET must work through this target.
probe() {
  local name="$1" port="$2" reply
  reply="$(redis-cli -h 127.0.0.1 -p "$port" set crescent:bench:probe 42 2>&1 || true)"
  [ "$reply" = OK ] || die "$name on 127.0.0.1:$port: SET replied '$reply' (expected OK)"
  reply="$(redis-cli -h 127.0.0.1 -p "$port" get crescent:bench:probe 2>&1 || true)"
  [ "$reply" = 42 ] || die "$name on 127.0.0.1:$port: GET replied '$reply' (expected 42)"
}

REDIS_PORT="$(free_port)"
say "starting redis-server on 127.0.0.1:$REDIS_PORT"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
  --dir "$TMP" --daemonize no --loglevel warning >"$TMP/redis.log" 2>&1 &
PIDS+=("$!")
wait_ready redis-server "$REDIS_PORT" "$!" "$TMP/redis.log"
probe redis-server "$REDIS_PORT"

TARGETS=(direct)
declare -A PORT_OF=([direct]="$REDIS_PORT")
declare -A LABEL_OF=([direct]="Redis direct" [crescent]="Crescent" [twemproxy]="twemproxy")

if [ "$WITH_CRESCENT" = 1 ]; then
  CRESCENT_PORT="$(free_port "$REDIS_PORT")"
  cat >"$TMP/crescent.json" <<JSON
{
  "address": "127.0.0.1:$CRESCENT_PORT",
  "cluster": {
    "epoch": 1,
    "name": "crescent",
    "local": { "127.0.0.1:$REDIS_PORT": ["0-16383"] },
    "peers": {}
  }
}
JSON
  say "starting Crescent on 127.0.0.1:$CRESCENT_PORT (log $TMP/crescent.log)"
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
  env -u CRESCENT_ADDRESS -u CRESCENT_ANNOUNCE_ADDRESS -u CRESCENT_CLUSTER \
    java $JAVA_OPTS -jar "$JAR" -conf "$TMP/crescent.json" >"$TMP/crescent.log" 2>&1 &
  PIDS+=("$!")
  wait_ready Crescent "$CRESCENT_PORT" "$!" "$TMP/crescent.log"
  probe Crescent "$CRESCENT_PORT"
  TARGETS+=(crescent)
  PORT_OF[crescent]="$CRESCENT_PORT"
fi

if [ "$WITH_TWEMPROXY" = 1 ]; then
  TWEM_PORT="$(free_port "$REDIS_PORT" "${CRESCENT_PORT:-0}")"
  TWEM_STATS_PORT="$(free_port "$REDIS_PORT" "${CRESCENT_PORT:-0}" "$TWEM_PORT")"
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
  wait_ready twemproxy "$TWEM_PORT" "$!" "$TMP/nutcracker.log"
  probe twemproxy "$TWEM_PORT"
  TARGETS+=(twemproxy)
  PORT_OF[twemproxy]="$TWEM_PORT"
fi

# --- measuring -----------------------------------------------------------------------------

requests_for() { if [ "$1" -gt 1 ]; then echo "$PIPELINED_REQUESTS"; else echo "$REQUESTS"; fi; }

# bench_once TARGET P N: prints "SET rps p50 p99" and "GET rps p50 p99".
bench_once() {
  local target="$1" p="$2" n="$3" port="${PORT_OF[$1]}" out="$TMP/last.csv"
  if ! redis-benchmark -h 127.0.0.1 -p "$port" -c "$CLIENTS" -n "$n" -t set,get -P "$p" --csv -q \
      >"$out" 2>"$TMP/last.err"; then
    cat "$out" "$TMP/last.err" >&2
    die "redis-benchmark against $target (port $port, -P $p) failed"
  fi
  awk -F, 'NR > 1 { gsub(/"/, ""); print $1, $2, $5, $7 }' "$out" >"$TMP/last.rows"
  if ! grep -q '^SET ' "$TMP/last.rows" || ! grep -q '^GET ' "$TMP/last.rows"; then
    cat "$out" "$TMP/last.err" >&2
    die "no SET/GET results from $target (port $port, -P $p)"
  fi
  cat "$TMP/last.rows"
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
        '$1 == r && $2 == t && $3 == p { printf "%s %.0f/s  ", $4, $5 }' "$ROWS")"
    done
  done
done

# median TARGET P TEST COLUMN (5 = rps, 6 = p50 ms, 7 = p99 ms)
median() {
  awk -v t="$1" -v p="$2" -v x="$3" -v c="$4" '$2 == t && $3 == p && $4 == x { print $c }' "$ROWS" \
    | sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "nan"; exit }
        if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# --- report --------------------------------------------------------------------------------

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

first_line() { "$@" 2>&1 | head -n 1 || true; }

report() {
  local crescent_env
  crescent_env="$(env | grep '^CRESCENT_' | grep -v -e '^CRESCENT_ADDRESS=' \
    -e '^CRESCENT_ANNOUNCE_ADDRESS=' -e '^CRESCENT_CLUSTER=' | sort | paste -sd' ' - || true)"
  cat <<MD
# Crescent benchmark

Median of $ROUNDS interleaved rounds per target; requests per second (higher is better) and the
ratio to Redis direct. Every target forwards to the same single redis-server.

$(table)

Median latency (ms) reported by redis-benchmark:

$(latency_table)

## Setup

- Date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')
- Machine: $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1 || echo unknown)), Linux $(uname -r)
- Java: $(if [ "$WITH_CRESCENT" = 1 ]; then first_line java -version; else echo "not used"; fi)
- Redis: $(redis-server --version)
- twemproxy: $(if [ "$WITH_TWEMPROXY" = 1 ]; then first_line nutcracker -V; else echo "not installed / skipped"; fi)
- Crescent: $(if [ "$WITH_CRESCENT" = 1 ]; then echo "$(basename "$JAR") at commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD -- src pom.xml 2>/dev/null || echo ' (with local changes)'), JAVA_OPTS=\`$JAVA_OPTS\`${crescent_env:+, $crescent_env}"; else echo "skipped (WITH_CRESCENT=0)"; fi)
- Command per test: \`redis-benchmark -h 127.0.0.1 -p PORT -c $CLIENTS -n N -t set,get -P P --csv -q\`
  with N = $REQUESTS at -P 1 and $PIPELINED_REQUESTS at higher pipelines; P in: $PIPELINES
- Warm-up per proxy: $WARMUP requests per test at each pipeline depth
- Run with: \`ROUNDS=$ROUNDS REQUESTS=$REQUESTS PIPELINED_REQUESTS=$PIPELINED_REQUESTS CLIENTS=$CLIENTS PIPELINES="$PIPELINES" WARMUP=$WARMUP bench/run.sh\`
MD
}

mkdir -p "$(dirname "$OUT")"
report >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
printf '\n'
cat "$OUT"
say "written to $OUT"

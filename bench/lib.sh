# Helpers shared by the bench/*.sh scripts. Source it after `set -euo pipefail`:
#
#   ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
#   . "$ROOT/bench/lib.sh"
#   bench_init               # temp dir $TMP, cleanup trap stopping every process started here
#   port="$(free_port)"; start_redis "$port"
#   crescent_config FILE PROXY_PORT REDIS_PORT [RANGES [PEERS_JSON [EXTRA_JSON]]]
#   start_crescent NAME PROXY_PORT FILE
#
# Variables it reads (with these defaults): JAR=target/crescent.jar, JAVA_OPTS (below),
# STARTUP_TIMEOUT=30, BENCH_TAG=bench (the prefix of messages on stderr).
# shellcheck shell=bash

ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
BENCH_TAG="${BENCH_TAG:-bench}"
JAR="${JAR:-$ROOT/target/crescent.jar}"
# Keep in step with JAVA_OPTS in the Makefile (which passes its own to these scripts).
JAVA_OPTS="${JAVA_OPTS:--Xms160m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+UnlockExperimentalVMOptions -XX:G1MaxNewSizePercent=30 -XX:GCTimeRatio=4 -XX:+AlwaysPreTouch -XX:+ExitOnOutOfMemoryError}"
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-30}"

say() { printf '%s: %s\n' "$BENCH_TAG" "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

positive() { [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -gt 0 ]; }

# require_positive VAR...: each named variable holds a positive integer.
require_positive() {
  local var
  for var in "$@"; do
    if ! positive "${!var}"; then die "$var must be a positive integer, got '${!var}'"; fi
  done
}

require_redis_tools() {
  local tool
  for tool in redis-server redis-cli redis-benchmark; do
    command -v "$tool" >/dev/null 2>&1 \
      || die "$tool not found; install redis-server and redis-tools (scripts/deps.sh redis)"
  done
}

require_crescent() {
  command -v java >/dev/null 2>&1 || die "java not found"
  [ -f "$JAR" ] || die "$JAR not found; build it first with: make"
}

# --- processes -----------------------------------------------------------------------------

PIDS=()
USED_PORTS=()

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

# bench_init: a temporary directory in $TMP, removed on exit with every process in PIDS.
bench_init() {
  TMP="$(mktemp -d "${TMPDIR:-/tmp}/crescent-bench.XXXXXX")"
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# A listener answers there, or (when `ss` is installed) any socket uses it as its local port.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
  command -v ss >/dev/null 2>&1 && [ -n "$(ss -Htan "sport = :$1" 2>/dev/null)" ]
}

# A free TCP port from 20000 up to 49999 or the start of the kernel's ephemeral range, whichever
# is lower (outgoing connections, thousands in bench/idle.sh, take their ports from that range):
# never 6379, one handed out before, nor one given as argument.
free_port() {
  local port taken used low high=49999
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || low=50000
  if [ "$low" -gt 21000 ] && [ "$low" -le "$high" ]; then high=$((low - 1)); fi
  for _ in $(seq 1 500); do
    port=$((20000 + RANDOM % (high - 20000 + 1)))
    taken=0
    for used in "$@" ${USED_PORTS[@]+"${USED_PORTS[@]}"}; do [ "$used" = "$port" ] && taken=1; done
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

# probe NAME PORT [KEY]: a SET and a GET of KEY must work through this target.
probe() {
  local name="$1" port="$2" key="${3:-crescent:bench:probe}" reply
  reply="$(redis-cli -h 127.0.0.1 -p "$port" set "$key" 42 2>&1 || true)"
  [ "$reply" = OK ] || die "$name on 127.0.0.1:$port: SET replied '$reply' (expected OK)"
  reply="$(redis-cli -h 127.0.0.1 -p "$port" get "$key" 2>&1 || true)"
  [ "$reply" = 42 ] || die "$name on 127.0.0.1:$port: GET replied '$reply' (expected 42)"
}

# start_redis PORT: a redis-server without persistence on 127.0.0.1:PORT, ready and probed.
# Sets LAST_PID.
start_redis() {
  local port="$1" log="$TMP/redis-$1.log"
  USED_PORTS+=("$port")
  say "starting redis-server on 127.0.0.1:$port"
  mkdir -p "$TMP/redis-$port"
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
    --dir "$TMP/redis-$port" --daemonize no --loglevel warning >"$log" 2>&1 &
  LAST_PID="$!"
  PIDS+=("$LAST_PID")
  wait_ready redis-server "$port" "$LAST_PID" "$log"
  probe redis-server "$port"
}

# crescent_config FILE PROXY_PORT REDIS_PORT [RANGES [PEERS_JSON [EXTRA_JSON]]]: a proxy
# configuration whose cluster gives the local Redis RANGES (a JSON list, default all slots).
# PEERS_JSON is the "peers" object ({} by default); EXTRA_JSON more top-level fields, each
# followed by a comma (e.g. '"max_clients": 20000,').
crescent_config() {
  local file="$1" port="$2" redis_port="$3" ranges="${4:-[\"0-16383\"]}" peers="${5:-{\}}" extra="${6:-}"
  cat >"$file" <<JSON
{
  "address": "127.0.0.1:$port",$extra
  "cluster": {
    "epoch": 1,
    "name": "crescent",
    "local": { "127.0.0.1:$redis_port": $ranges },
    "peers": $peers
  }
}
JSON
}

# start_crescent NAME PORT CONF: the proxy from $JAR with $JAVA_OPTS, ready (PING); sets LAST_PID.
# CRESCENT_* environment variables reach it, except the three this script controls.
start_crescent() {
  local name="$1" port="$2" conf="$3" log="$TMP/$1.log"
  USED_PORTS+=("$port")
  say "starting $name on 127.0.0.1:$port (log $log)"
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
  env -u CRESCENT_ADDRESS -u CRESCENT_ANNOUNCE_ADDRESS -u CRESCENT_CLUSTER \
    java $JAVA_OPTS -jar "$JAR" -conf "$conf" >"$log" 2>&1 &
  LAST_PID="$!"
  PIDS+=("$LAST_PID")
  wait_ready "$name" "$port" "$LAST_PID" "$log"
}

# --- measuring -----------------------------------------------------------------------------

# benchmark_csv OUT ARGS...: redis-benchmark ARGS --csv -q into OUT, then its rows as
# "TEST rps p50 p99" on stdout. Fails with redis-benchmark's output when SET or GET is missing.
benchmark_csv() {
  local out="$1"
  shift
  if ! redis-benchmark "$@" --csv -q >"$out" 2>"$out.err"; then
    cat "$out" "$out.err" >&2
    die "redis-benchmark $* failed"
  fi
  # Only result rows: with --cluster, redis-benchmark also prints the nodes it found.
  awk -F, 'NR > 1 { gsub(/"/, "") } NR > 1 && NF >= 7 && $2 ~ /^[0-9.]+$/ { print $1, $2, $5, $7 }' \
    "$out" >"$out.rows"
  if ! grep -q '^SET ' "$out.rows" || ! grep -q '^GET ' "$out.rows"; then
    cat "$out" "$out.err" >&2
    die "no SET/GET results from redis-benchmark $*"
  fi
  cat "$out.rows"
}

# median_of: the median of the numbers on stdin ("nan" when there are none).
median_of() {
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "nan"; exit }
    if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# cpu_ticks PID: CPU time the process has used, user and system, in clock ticks (CLK_TCK a second).
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
CLK_TCK="$(getconf CLK_TCK)"

# transport_of PORT: the transport a Crescent reports in INFO proxy (nio).
transport_of() { redis-cli -h 127.0.0.1 -p "$1" info proxy | tr -d '\r' | sed -n 's/^transport://p'; }

# rss_kb PID: resident set size of the process in kB (VmRSS), or 0 when it is gone.
rss_kb() { awk '/^VmRSS:/ { print $2; found = 1 } END { if (!found) print 0 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# hwm_kb PID: peak resident set size in kB (VmHWM).
hwm_kb() { awk '/^VmHWM:/ { print $2; found = 1 } END { if (!found) print 0 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# --- report --------------------------------------------------------------------------------

first_line() { "$@" 2>&1 | head -n 1 || true; }

# machine_facts: Markdown list items (date, CPUs, Java, Redis, Crescent build and flags).
machine_facts() {
  local crescent_env
  crescent_env="$(env | grep '^CRESCENT_' | grep -v -e '^CRESCENT_ADDRESS=' \
    -e '^CRESCENT_ANNOUNCE_ADDRESS=' -e '^CRESCENT_CLUSTER=' | sort | paste -sd' ' - || true)"
  cat <<MD
- Date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')
- Machine: $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1 || echo unknown)), Linux $(uname -r)
- Java: $(first_line java -version)
- Redis: $(redis-server --version)
- Crescent: $(crescent_build), JAVA_OPTS=\`$JAVA_OPTS\`${crescent_env:+, $crescent_env}
MD
}

# crescent_build: the jar's name and the commit it was built from (as far as git can tell).
crescent_build() {
  printf '%s at commit %s%s' "$(basename "$JAR")" \
    "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
    "$(git -C "$ROOT" diff --quiet HEAD -- src pom.xml 2>/dev/null || echo ' (with local changes)')"
}

# write_report OUT: stdin to OUT (atomically), then to stdout.
write_report() {
  local out="$1"
  mkdir -p "$(dirname "$out")"
  cat >"$out.tmp"
  mv "$out.tmp" "$out"
  printf '\n'
  cat "$out"
  say "written to $out"
}

#!/usr/bin/env bash
# A local, throw-away redis-server for `make run` / `make server`.
#
#   scripts/local-redis.sh ensure   start one on $REDIS_PORT unless something already answers PING there
#   scripts/local-redis.sh stop     stop the one this script started (by pid file); leaves others alone
#   scripts/local-redis.sh status
#
# No persistence (no RDB, no AOF). Pid file, log and working dir live in $RUN_DIR.
set -euo pipefail

REDIS_PORT="${REDIS_PORT:-6379}"
RUN_DIR="${RUN_DIR:-.run}"

mkdir -p "$RUN_DIR"
RUN_DIR="$(cd "$RUN_DIR" && pwd)"
PID_FILE="$RUN_DIR/redis-$REDIS_PORT.pid"
LOG_FILE="$RUN_DIR/redis-$REDIS_PORT.log"

say() { printf 'redis: %s\n' "$*" >&2; }

answers() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; }

# The pid from our pid file, only if that process is still a redis-server.
our_pid() {
  local pid
  [ -s "$PID_FILE" ] || return 1
  pid="$(cat "$PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  grep -q redis-server "/proc/$pid/comm" 2>/dev/null || ps -p "$pid" -o comm= 2>/dev/null | grep -q redis || return 1
  printf '%s\n' "$pid"
}

ensure() {
  if answers; then
    if our_pid >/dev/null; then
      say "already running on 127.0.0.1:$REDIS_PORT (pid $(our_pid), started by make)"
    else
      say "something already answers PING on 127.0.0.1:$REDIS_PORT; using it"
    fi
    return 0
  fi
  say "starting redis-server on 127.0.0.1:$REDIS_PORT (log $LOG_FILE)"
  rm -f "$PID_FILE"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 \
    --save "" --appendonly no --dir "$RUN_DIR" \
    --daemonize yes --pidfile "$PID_FILE" --logfile "$LOG_FILE" --loglevel notice

  for _ in $(seq 1 50); do
    if answers; then
      say "ready (pid $(cat "$PID_FILE" 2>/dev/null || echo '?')); stop it with: make stop-redis"
      return 0
    fi
    sleep 0.1
  done
  say "redis-server did not answer PING within 5 s; last log lines:"
  tail -n 20 "$LOG_FILE" >&2 2>/dev/null || true
  return 1
}

stop() {
  local pid
  if ! pid="$(our_pid)"; then
    say "no redis started by make on port $REDIS_PORT (no live pid in $PID_FILE)"
    rm -f "$PID_FILE"
    return 0
  fi
  say "stopping redis-server pid $pid"
  kill "$pid"
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$PID_FILE"; say "stopped"; return 0; }
    sleep 0.1
  done
  say "pid $pid still alive after 5 s; sending SIGKILL"
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$PID_FILE"
}

status() {
  if our_pid >/dev/null; then
    say "running on 127.0.0.1:$REDIS_PORT, pid $(our_pid), started by make"
  elif answers; then
    say "something else answers on 127.0.0.1:$REDIS_PORT"
  else
    say "nothing on 127.0.0.1:$REDIS_PORT"
    return 1
  fi
}

case "${1:-}" in
  ensure) ensure ;;
  stop) stop ;;
  status) status ;;
  *) printf 'usage: %s ensure|stop|status\n' "$0" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Checks (and, when run as root on Debian/Ubuntu, installs) what Crescent's targets need.
#
#   scripts/deps.sh redis   redis-server, redis-cli, redis-benchmark (packages redis-server, redis-tools)
#   scripts/deps.sh java    a JDK >= 17 and Maven
#
# As root: installs missing packages with apt-get (apt-get update first).
# Otherwise: prints the command to run and exits non-zero.
set -euo pipefail

APT_UPDATED=0

say() { printf '%s\n' "$*" >&2; }

is_root() { [ "$(id -u)" -eq 0 ]; }

apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    say "apt-get not found: install these packages (or their equivalents) by hand: $*"
    return 1
  fi
  if ! is_root; then
    say "Missing packages. Install them with:"
    say "  sudo apt-get update && sudo apt-get install -y $*"
    return 1
  fi
  if [ "$APT_UPDATED" -eq 0 ]; then
    say "deps: apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    APT_UPDATED=1
  fi
  say "deps: apt-get install -y $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

need_redis() {
  local missing=0 tool
  for tool in redis-server redis-cli redis-benchmark; do
    command -v "$tool" >/dev/null 2>&1 || missing=1
  done
  if [ "$missing" -eq 1 ]; then
    say "deps: redis-server/redis-tools not installed"
    apt_install redis-server redis-tools
  fi
  say "deps: $(redis-server --version | cut -d' ' -f1-3)"
}

# Prints the major version of the java on PATH, or nothing.
java_major() {
  command -v java >/dev/null 2>&1 || return 0
  java -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9.]*\).*/\1/p' \
    | sed 's/^1\.//; s/\..*//' | head -n 1
}

need_java() {
  local packages=() major
  major="$(java_major)"
  if [ -z "$major" ]; then
    say "deps: no java on PATH (Java 17 is required)"
    packages+=(openjdk-17-jdk-headless)
  elif [ "$major" -lt 17 ]; then
    say "deps: java on PATH is version $major; Java 17 or newer is required"
    packages+=(openjdk-17-jdk-headless)
  fi
  if ! command -v javac >/dev/null 2>&1 && [ -n "$major" ] && [ "$major" -ge 17 ]; then
    say "deps: java found but no javac (a JDK, not a JRE, is required)"
    packages+=(openjdk-17-jdk-headless)
  fi
  if ! command -v mvn >/dev/null 2>&1; then
    say "deps: Maven (mvn) not found"
    packages+=(maven)
  fi
  if [ "${#packages[@]}" -gt 0 ]; then
    apt_install "${packages[@]}"
  fi
  say "deps: java $(java_major), $(mvn -B -v 2>/dev/null | head -n 1 | sed 's/\x1b\[[0-9;]*m//g; s/ (.*//')"
}

main() {
  if [ "$#" -eq 0 ]; then
    say "usage: $0 redis|java..."
    exit 2
  fi
  local what
  for what in "$@"; do
    case "$what" in
      redis) need_redis ;;
      java) need_java ;;
      *) say "unknown dependency: $what (expected redis or java)"; exit 2 ;;
    esac
  done
}

main "$@"

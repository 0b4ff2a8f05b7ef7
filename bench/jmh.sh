#!/usr/bin/env bash
# JMH micro-benchmarks of the proxy's per-command work (bench/jmh/src/main/java, built with the
# Maven profile -Pjmh): request parsing, slot hashing, command lookup and reply cutting, each with
# JMH's GC profiler for bytes allocated per operation. Writes bench/results/jmh.md.
#
# Parameters (environment):
#   JMH_RUN='-f 1 -wi 5 -w 2s -i 5 -r 1s'   forks, warm-up and measurement iterations and times
#                                           (C2 needs several seconds on a busy 2-core machine: with
#                                           less warm-up the parser's figures vary tenfold)
#   BENCHMARKS=io.crescent.bench             regular expression of the benchmarks to run
#   MVN=mvn  OUT=bench/results/jmh.md
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_TAG=bench-jmh
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

JMH_RUN="${JMH_RUN:--f 1 -wi 5 -w 2s -i 5 -r 1s}"
BENCHMARKS="${BENCHMARKS:-io.crescent.bench}"
MVN="${MVN:-mvn}"
OUT="${OUT:-$ROOT/bench/results/jmh.md}"

command -v java >/dev/null 2>&1 || die "java not found"
command -v "$MVN" >/dev/null 2>&1 || die "$MVN not found"

bench_init
CSV="$TMP/jmh.csv"

say "running JMH ($JMH_RUN -prof gc) on $BENCHMARKS"
(cd "$ROOT" && "$MVN" -B -q -Pjmh -DskipTests compile exec:exec \
  -Djmh.args="$JMH_RUN -prof gc -rf csv -rff $CSV $BENCHMARKS") >&2
[ -s "$CSV" ] || die "JMH wrote no results"

# JMH's CSV: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit";
# the GC profiler adds rows named BENCHMARK:gc.alloc.rate.norm (B/op).
table() {
  awk -F, '
    NR == 1 { next }
    {
      for (i = 1; i <= NF; i++) gsub(/"/, "", $i)
      name = $1; sub(/^io\.crescent\.bench\./, "", name)
      if (name ~ /:gc\.alloc\.rate\.norm$/) { sub(/:.*/, "", name); alloc[name] = $5; next }
      if (name ~ /:/) next
      order[++n] = name; score[name] = $5; err[name] = $6; unit[name] = $7
    }
    END {
      print "| Benchmark | Score | ± (99.9%) | Unit | Allocated (B/op) |"
      print "|-----------|------:|----------:|------|-----------------:|"
      for (i = 1; i <= n; i++) {
        b = order[i]
        printf "| %s | %.2f | %s | %s | %s |\n", b, score[b],
          (err[b] == "NaN" || err[b] == "" ? "-" : sprintf("%.2f", err[b])), unit[b],
          (b in alloc ? sprintf("%.1f", alloc[b]) : "-")
      }
    }' "$CSV"
}

report() {
  cat <<MD
# Crescent micro-benchmarks (JMH)

Average time per operation; one operation is one command parsed, one key hashed, one command
looked up or one reply cut out (each benchmark runs a batch per invocation and divides). Allocated
is JMH's \`gc.alloc.rate.norm\`: bytes allocated per operation (0 means the work allocates nothing
once warmed up).

$(table)

- \`RequestParserBenchmark.parsePipelinedSetGet\`: one read of 100 pipelined \`SET key:N xxx\` / \`GET key:N\`
- \`SlotHashBenchmark.slotFromArray|slotFromBuffer\`: six typical keys (one with a hash tag), from a heap array / a Buffer
- \`CommandLookupBenchmark.find\`: \`CommandTable.find\` for eight commands in mixed case (two with subcommands, one unknown)
- \`ReplyReaderBenchmark.relay\`: one read of 100 replies (\`+OK\`, \`\$3 xxx\`, a nil, an array of two bulks)

## Setup

- Date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')
- Machine: $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1 || echo unknown)), Linux $(uname -r)
- Java: $(first_line java -version)
- Crescent: commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD -- src bench/jmh pom.xml 2>/dev/null || echo ' (with local changes)'), JMH 1.37
- Run with: \`JMH_RUN='$JMH_RUN' BENCHMARKS='$BENCHMARKS' bench/jmh.sh\` (JMH options: \`$JMH_RUN -prof gc\`)
MD
}

report | write_report "$OUT"

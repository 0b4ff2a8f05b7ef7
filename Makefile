# Crescent: build, run, test and benchmark.
#
#   make             build target/crescent.jar if stale
#   make run         build if stale, ensure Redis on 6379, run a proxy on 5299 owning all slots
#   make server      same, but the proxy starts with no cluster (configure it with UMCTL SETCLUSTER)
#   make test        install test prerequisites if missing, then mvn -B verify
#   make fuzz        fuzz each Jazzer target for FUZZ_SECONDS (default 120) seconds
#   make soak        SoakTest for SOAK_SECONDS (default 300) s: many clients, writes checked, heap bounded
#   make bench       bench/run.sh (direct Redis vs Crescent [vs twemproxy])
#   make bench-idle  bench/idle.sh: proxy RSS and throughput with 10 000 idle client connections
#   make bench-cluster  bench/cluster.sh: 3 Redis + 3 proxies (redis-benchmark --cluster) vs one proxy
#   make jmh         JMH micro-benchmarks (parser, slot hash, command lookup, reply reader) with -prof gc
#   make stop-redis  stop the Redis that make started
#   make clean       stop that Redis, remove build output and run files

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build
.DELETE_ON_ERROR:

JAR        := target/crescent.jar
MVN        ?= mvn
# The local Redis for run/server. conf/run.json names this address; change both together.
REDIS_PORT := 6379
# Pid file, log and working dir of the Redis that make starts. Not under target/, so that
# `mvn clean` cannot lose the pid file of a Redis that is still running.
RUN_DIR    ?= .run

# JVM flags for the proxy (also used by the bench targets; bench/lib.sh has the same default).
# G1 with a small pre-touched heap that may grow: the proxy's live set is small (slot table,
# per-connection state) and nearly all allocation is short-lived buffers that die young, so G1
# with MaxGCPauseMillis=20 keeps its young pauses short. Opening 10 000 connections at once
# makes a young generation in which everything survives (about 8 KB each, half of it Vert.x's
# per-connection write queue): with G1's defaults that failed an evacuation and grew the heap to
# 240-290 MB (RSS 353-375 MB in three runs of bench/idle.sh). A young generation of at most 30%
# of the heap and GCTimeRatio=4 (G1 grows the heap only past 20% of time in GC, not 8%) kept it
# at 172 MB: RSS 285 MB, throughput with / without the idle clients 1.04x / 1.10x.
# Earlier, without them (RSS warmed up / with 10 000 idle clients):
# -Xms160m -Xmx512m 263 / 284 MB (the heap stayed at 162-169 MB), fixed -Xmx160m 265-270 /
# 279-284 MB, -Xmx256m 365 / 380 MB, G1 growing from 64m 193 / 278 MB but 316 MB once loaded,
# ZGC -Xmx512m 1.65 GB. The room to 512 MB is for large values: a fixed 160 MB heap ran out of
# memory on one 100 MB SET. frame_memory_limit (half the heap) and held_replies_limit (a quarter)
# keep large frames and slow readers within it; the JDK caps direct memory, where Netty copies
# outgoing bytes, at -Xmx too. Raise -Xmx for values over about 200 MB or many large ones at once.
# ExitOnOutOfMemoryError: a JVM out of heap keeps its port but serves nobody, and ignores SIGTERM
# (seen before requests_in_flight was bounded); exiting lets systemd or the pod restart it.
JAVA_OPTS  ?= -Xms160m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+UnlockExperimentalVMOptions -XX:G1MaxNewSizePercent=30 -XX:GCTimeRatio=4 -XX:+AlwaysPreTouch -XX:+ExitOnOutOfMemoryError
export JAVA_OPTS

# The jar is rebuilt only when a main source, resource or the pom is newer than it.
MAIN_SOURCES := $(shell find src/main -type f 2>/dev/null)

build: $(JAR)

.PHONY: build run server test soak fuzz bench bench-idle bench-cluster jmh redis stop-redis deps-redis deps-java clean help

help:
	@sed -n 's/^#   //p' $(firstword $(MAKEFILE_LIST))

$(JAR): pom.xml $(MAIN_SOURCES)
	@scripts/deps.sh java
	$(MVN) -B -q -DskipTests package
	@touch $@

deps-redis:
	@scripts/deps.sh redis

deps-java:
	@scripts/deps.sh java

redis: deps-redis
	@REDIS_PORT=$(REDIS_PORT) RUN_DIR=$(RUN_DIR) scripts/local-redis.sh ensure

run: $(JAR) redis
	@echo "crescent: 127.0.0.1:5299 owns slots 0-16383 over 127.0.0.1:$(REDIS_PORT) (conf/run.json)"
	@echo "crescent: try  redis-cli -c -p 5299 set a 1"
	exec java $(JAVA_OPTS) -jar $(JAR) -conf conf/run.json

server: $(JAR) redis
	@echo "crescent: 127.0.0.1:5299 with no cluster yet (conf/crescent.json)"
	@echo "crescent: in another terminal: redis-cli -p 5299 UMCTL SETCLUSTER 1 NOFLAGS mydb 127.0.0.1:$(REDIS_PORT) 1 0-16383"
	exec java $(JAVA_OPTS) -jar $(JAR) -conf conf/crescent.json

test: deps-java deps-redis
	$(MVN) -B verify

# The soak test (src/test/java/io/crescent/e2e/SoakTest.java) for longer than the 8 s it runs
# in make test. Its figures (ops/s, errors, heap every second) land in target/soak-report.txt.
SOAK_SECONDS ?= 300

soak: deps-java deps-redis
	@rm -f target/soak-report.txt
	$(MVN) -B -q test -Dtest=SoakTest -Dcrescent.soak.seconds=$(SOAK_SECONDS) \
	  || { cat target/soak-report.txt 2>/dev/null; exit 1; }
	@cat target/soak-report.txt

# Coverage-guided fuzzing (Jazzer). `make test` only replays the committed inputs under
# src/test/resources/**/*FuzzTestInputs/; this searches for new ones, one target per JVM (Jazzer
# fuzzes one @FuzzTest per run). A failing input is written into the target's Inputs directory:
# commit it and it becomes a regression test. The corpus grown meanwhile stays in .cifuzz-corpus/.
FUZZ_SECONDS ?= 120
FUZZ_TARGETS := io.crescent.resp.RequestParserFuzzTest io.crescent.resp.ReplyReaderFuzzTest \
                io.crescent.cluster.SetClusterFuzzTest

fuzz: deps-java
	$(MVN) -B -q test-compile
	@failed=""; for target in $(FUZZ_TARGETS); do \
	  echo "fuzz: $$target for $(FUZZ_SECONDS) s"; \
	  JAZZER_FUZZ=1 $(MVN) -B -q surefire:test@fuzz -Dtest=$$target -Dfuzz.seconds=$(FUZZ_SECONDS) \
	    || failed="$$failed $$target"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: findings in$$failed (see target/surefire-reports)"; exit 1; fi

bench: $(JAR) deps-redis
	bench/run.sh

bench-idle: $(JAR) deps-redis
	bench/idle.sh

bench-cluster: $(JAR) deps-redis
	bench/cluster.sh

# JMH (Maven profile -Pjmh, sources in bench/jmh/src/main/java, built under target/jmh/) with short
# settings; JMH_RUN='-f 2 -wi 5 -w 2s -i 10 -r 2s' for steadier figures. Writes bench/results/jmh.md.
jmh: deps-java
	bench/jmh.sh

stop-redis:
	@REDIS_PORT=$(REDIS_PORT) RUN_DIR=$(RUN_DIR) scripts/local-redis.sh stop

clean: stop-redis
	rm -rf target $(RUN_DIR) bench/results/*.tmp

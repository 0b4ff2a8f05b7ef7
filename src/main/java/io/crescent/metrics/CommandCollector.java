package io.crescent.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Serves every loop's {@link CommandStats}, summed at scrape time, as Prometheus families:
 * {@code crescent_commands_total{command, outcome}} and
 * {@code crescent_command_duration_seconds{stage}} with {@code stage="total"} (read to reply) and
 * {@code stage="proxy"} (the same, less the time Redis took).
 *
 * <p>A collector rather than Micrometer meters: Micrometer's timers cost atomic operations and a
 * clock read per record, which on every command is a measurable share of the proxy's work.
 */
final class CommandCollector implements MultiCollector {

  private final List<CommandStats> loops;

  CommandCollector(List<CommandStats> loops) {
    this.loops = loops;
  }

  @Override
  public MetricSnapshots collect() {
    return new MetricSnapshots(commands(), durations());
  }

  private CounterSnapshot commands() {
    Map<String, long[]> byName = new TreeMap<>();
    for (CommandStats loop : loops) {
      loop.byName().forEach((name, counts) -> {
        long[] sum = byName.computeIfAbsent(name, n -> new long[2]);
        sum[0] += counts.calls();
        sum[1] += counts.failed();
      });
    }
    CounterSnapshot.Builder family = CounterSnapshot.builder().name("crescent_commands")
        .help("Commands answered, by command and outcome (error: an error reply)");
    byName.forEach((name, sum) -> {
      family.dataPoint(point(name, "ok", sum[0] - sum[1]));
      family.dataPoint(point(name, "error", sum[1]));
    });
    return family.build();
  }

  private static CounterDataPointSnapshot point(String name, String outcome, long value) {
    return CounterDataPointSnapshot.builder().labels(Labels.of("command", name, "outcome", outcome))
        .value(value).build();
  }

  private HistogramSnapshot durations() {
    return HistogramSnapshot.builder().name("crescent_command_duration_seconds")
        .help("Time from reading a command to having its reply (stage=total), and that time less the "
            + "wait for Redis (stage=proxy); blocking commands are not timed")
        .dataPoint(histogram("total", stats -> stats.total))
        .dataPoint(histogram("proxy", stats -> stats.proxy))
        .build();
  }

  private HistogramDataPointSnapshot histogram(String stage, Function<CommandStats, LatencyHistogram> which) {
    long[] counts = new long[LatencyHistogram.BOUNDS.length];
    long sumNanos = 0;
    for (CommandStats loop : loops) {
      sumNanos += which.apply(loop).addTo(counts);
    }
    return HistogramDataPointSnapshot.builder().labels(Labels.of("stage", stage))
        .classicHistogramBuckets(ClassicHistogramBuckets.of(LatencyHistogram.BOUNDS, counts))
        .sum(sumNanos / 1e9)
        .build();
  }
}

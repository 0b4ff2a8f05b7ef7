package io.crescent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real binary (redis-cli, redis-benchmark, …) with a deadline. Output goes to temporary
 * files, never to the test's stdout, so a chatty process can neither block on a full pipe nor
 * clutter the build log; a process still running at the deadline is killed.
 */
public final class ExternalCommand {

  /** What a finished (or killed) process left behind. */
  public record Result(List<String> command, int exitCode, boolean timedOut, String stdout, String stderr) {

    public boolean ok() {
      return !timedOut && exitCode == 0;
    }

    /** Everything needed to understand a failing assertion. */
    public String describe() {
      return String.join(" ", command) + "\nexit=" + exitCode + (timedOut ? " (killed at deadline)" : "")
          + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
    }
  }

  private ExternalCommand() {
  }

  public static Result run(Duration timeout, String... command) {
    return run(timeout, List.of(command));
  }

  public static Result run(Duration timeout, List<String> command) {
    Path out = null;
    Path err = null;
    Process process = null;
    try {
      out = Files.createTempFile("crescent-cmd-", ".out");
      err = Files.createTempFile("crescent-cmd-", ".err");
      process = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        kill(process);
      }
      return new Result(List.copyOf(command), finished ? process.exitValue() : -1, !finished,
          Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    } finally {
      if (process != null && process.isAlive()) {
        kill(process);
      }
      delete(out);
      delete(err);
    }
  }

  private static void kill(Process process) {
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void delete(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a temp file left behind is harmless
      }
    }
  }
}

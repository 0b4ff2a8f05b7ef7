package io.crescent.config;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code log_level}: the root logger's level, changed at run time. Empty means the level the
 * logging configuration gave, which is restored when the setting is removed. Needs Logback behind
 * SLF4J (as in the jar); an application that embeds Crescent with another backend keeps its own.
 */
public final class LogLevel {

  private static final Logger log = LoggerFactory.getLogger(LogLevel.class);

  private final ch.qos.logback.classic.Logger root;
  private final Level configured;

  public LogLevel() {
    root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger logback
        ? logback : null;
    configured = root == null ? null : root.getLevel();
  }

  public void apply(String level) {
    if (root == null) {
      if (!level.isEmpty()) {
        log.warn("log_level {} not applied: the logging backend is not Logback", level);
      }
      return;
    }
    root.setLevel(level.isEmpty() ? configured : Level.toLevel(level));
    log.info("root log level is now {}", root.getLevel());
  }
}

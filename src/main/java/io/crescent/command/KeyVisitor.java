package io.crescent.command;

/** Receives the argument index of each key of a command, in the order Redis lists them. */
@FunctionalInterface
public interface KeyVisitor {

  void key(int argIndex);
}

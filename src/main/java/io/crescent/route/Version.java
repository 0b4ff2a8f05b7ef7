package io.crescent.route;

/** Crescent's version, from the jar manifest when there is one. */
final class Version {

  static final String TEXT = java.util.Objects.requireNonNullElse(
      Version.class.getPackage().getImplementationVersion(), "dev");

  private Version() {
  }
}

package io.crescent.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link Reference} for one test class: started before its first test and closed after its
 * last, so the classes that compare the proxy with a cluster node need no lifecycle code.
 * Register it as {@code @RegisterExtension static final ReferenceExtension ref = ...}.
 */
public final class ReferenceExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

  private final boolean emptyBeforeEach;
  private Reference ref;

  private ReferenceExtension(boolean emptyBeforeEach) {
    this.emptyBeforeEach = emptyBeforeEach;
  }

  /** Data written by one test stays for the next. */
  public static ReferenceExtension perClass() {
    return new ReferenceExtension(false);
  }

  /** Both Redis servers are emptied before each test. */
  public static ReferenceExtension emptiedBeforeEach() {
    return new ReferenceExtension(true);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    ref = Reference.start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (emptyBeforeEach) {
      ref.flushAll();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    ref.close();
  }

  public RedisServer backend() {
    return ref.backend();
  }

  public RedisServer clusterNode() {
    return ref.clusterNode();
  }

  public Proxy proxy() {
    return ref.proxy();
  }
}

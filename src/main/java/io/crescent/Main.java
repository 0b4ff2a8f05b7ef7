package io.crescent;

import io.vertx.launcher.application.VertxApplication;

/**
 * {@code java -jar crescent.jar -conf conf/crescent.json}: the Vert.x launcher, with Crescent's
 * hooks. It is a subclass so that the launcher finds our jar's manifest (it matches
 * {@code Main-Class} against its own class).
 */
public final class Main extends VertxApplication {

  private Main(String[] args) {
    super(args, new LauncherHooks(args));
  }

  public static void main(String[] args) {
    int code = new Main(args).launch();
    if (code != 0) {
      System.exit(code);
    }
  }
}

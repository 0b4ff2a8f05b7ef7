package io.crescent.api;

/**
 * Event-bus addresses through which verticles deployed in the same Vert.x use Crescent without a
 * Redis client. Messages are local to the JVM.
 *
 * <ul>
 *   <li>{@link #COMMAND}: a {@code JsonArray} of strings, one Redis command, routed by slot as a
 *       client's command is. The reply is the Redis reply as JSON (strings, numbers, arrays,
 *       null); a Redis error fails the message with Redis's text, e.g. {@code MOVED 15495
 *       127.0.0.1:7000} for a peer's slot (the caller decides whether to follow it). Commands that
 *       need connection state (MULTI, blocking commands, SUBSCRIBE, HELLO, AUTH, CLIENT ...) fail.
 *   <li>{@link #ADMIN}: a {@code JsonArray} of UMCTL arguments, e.g. {@code ["GETEPOCH"]} or
 *       {@code ["SETCLUSTER", "v2", "2", "NOFLAGS", "mydb", ...]}, answered as UMCTL is.
 *   <li>{@link #EVENTS}: published on every configuration change, a {@code JsonObject} with
 *       {@code epoch}, {@code cluster}, {@code local_slots} and {@code assigned_slots}.
 * </ul>
 */
public final class EventBusApi {

  public static final String COMMAND = "crescent.command";
  public static final String ADMIN = "crescent.admin";
  public static final String EVENTS = "crescent.events";

  private EventBusApi() {
  }
}

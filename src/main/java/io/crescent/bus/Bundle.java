package io.crescent.bus;

import java.util.List;

/** Everything one verticle sent to one address in one turn of its event loop, in order. */
public record Bundle<T>(List<T> items) {
}

package readme;

import java.util.concurrent.atomic.AtomicInteger;

/** Stands for a README method body printed as "{ ... }": counts the calls, returns nothing. */
final class Elided {
  static final AtomicInteger CALLS = new AtomicInteger();

  private Elided() {}

  static <T> T body() {
    CALLS.incrementAndGet();
    return null;
  }
}

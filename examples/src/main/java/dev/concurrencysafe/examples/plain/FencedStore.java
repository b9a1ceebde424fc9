package dev.concurrencysafe.examples.plain;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A resource that honours fencing tokens: it remembers the highest token that wrote each entry and
 * rejects a write carrying an older one. This is what closes the gap a holder paused longer than
 * its ttl would otherwise open (its lock expired and someone else's write came in between).
 *
 * <p>Thread-safety: thread-safe (synchronized).
 */
public final class FencedStore {

  private final Map<String, Long> highestToken = new HashMap<>();
  private final Map<String, String> values = new LinkedHashMap<>();

  /**
   * Writes {@code value} under {@code entry} unless a newer token already wrote it.
   *
   * @return true if written, false if rejected as stale
   */
  public synchronized boolean write(String entry, long fencingToken, String value) {
    Long highest = highestToken.get(entry);
    if (highest != null && fencingToken < highest) {
      return false;
    }
    highestToken.put(entry, fencingToken);
    values.put(entry, value);
    return true;
  }

  /** The current value of {@code entry}, or null. */
  public synchronized @Nullable String read(String entry) {
    return values.get(entry);
  }
}

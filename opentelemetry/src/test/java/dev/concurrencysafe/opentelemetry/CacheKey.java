package dev.concurrencysafe.opentelemetry;

import dev.concurrencysafe.LockKey;
import java.time.Duration;

/** The test catalog: the shape applications use, so key names are {@code CacheKey.X}. */
enum CacheKey implements LockKey {
  PURCHASE("lock:purchase:{userId}", Duration.ofSeconds(10)),
  /** Renewed every 100 ms: a deleted key is noticed quickly. */
  FLAKY("lock:flaky:{userId}", Duration.ofMillis(300));

  private final String pattern;
  private final Duration ttl;

  CacheKey(String pattern, Duration ttl) {
    this.pattern = pattern;
    this.ttl = ttl;
  }

  @Override
  public String pattern() {
    return pattern;
  }

  @Override
  public Duration ttl() {
    return ttl;
  }
}

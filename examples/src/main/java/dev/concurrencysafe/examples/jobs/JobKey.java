package dev.concurrencysafe.examples.jobs;

import dev.concurrencysafe.LockKey;
import java.time.Duration;

/**
 * The lock keys of scheduled jobs and of the asynchronous invoice example.
 *
 * <p>Thread-safety: immutable.
 */
public enum JobKey implements LockKey {

  /**
   * A job every node fires; the ttl only bounds how long a crashed node blocks the job (the
   * interval is the cooldown at the call site).
   */
  SCHEDULED_JOB("job:{name}", Duration.ofSeconds(30)),

  /** One invoice issued per order, however many requests for it arrive at once. */
  INVOICE("lock:invoice:{orderId}", Duration.ofSeconds(10));

  private final String pattern;
  private final Duration ttl;

  JobKey(String pattern, Duration ttl) {
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

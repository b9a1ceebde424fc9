package dev.concurrencysafe.examples.plain;

import dev.concurrencysafe.Locks;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Use case 2: a "refresh" may run at most once per interval per user (10 minutes in production).
 * The naive helper could not do this: its {@code finally} deleted the key as soon as the block
 * ended. Here {@code cooldown(interval)} keeps the key until acquisition + interval, so a second
 * refresh within the interval gets {@link RefreshTooSoonException} with "try again later".
 *
 * <p>Thread-safety: thread-safe.
 */
public final class InterestedProductRefresher {

  /** The production interval. */
  public static final Duration INTERVAL = Duration.ofMinutes(10);

  private final Duration interval;
  private final Consumer<String> refresh;

  /** A refresher with the production interval of 10 minutes. */
  public InterestedProductRefresher(Consumer<String> refresh) {
    this(INTERVAL, refresh);
  }

  /** A refresher with another interval (the demo and tests use a short one). */
  public InterestedProductRefresher(Duration interval, Consumer<String> refresh) {
    this.interval = interval;
    this.refresh = refresh;
  }

  /**
   * Refreshes {@code userId}'s interested products.
   *
   * @throws RefreshTooSoonException if the last refresh started less than the interval ago
   */
  public void refresh(String userId) {
    Locks.with(CacheKey.DODO_REFRESH_INTERESTED_PRODUCT, userId)
        .cooldown(interval)
        .blockedMessage(tryAgainLaterMessage(interval))
        .onBlocked(RefreshTooSoonException::new)
        // An expected outcome, not an incident: keep it out of the warning log.
        .blockedLogLevel(Level.DEBUG)
        .run(() -> refresh.accept(userId));
  }

  /** The message a blocked caller sees, e.g. "try again later (possible 10 minutes after ...)". */
  public static String tryAgainLaterMessage(Duration interval) {
    return "try again later (possible " + humanize(interval) + " after the last refresh)";
  }

  private static String humanize(Duration d) {
    if (d.toSecondsPart() == 0 && d.toMillisPart() == 0 && d.toMinutes() > 0) {
      return d.toMinutes() + (d.toMinutes() == 1 ? " minute" : " minutes");
    }
    if (d.toMillisPart() == 0) {
      return d.toSeconds() + (d.toSeconds() == 1 ? " second" : " seconds");
    }
    return d.toMillis() + " ms";
  }
}

package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockSpec;
import dev.concurrencysafe.integration.ObservedCall;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One intercepted method's lock spec, built once (on the first call, when the manager exists) from
 * its resolved settings: ttl, wait, cooldown, refusal, and the verb instrumentations see ({@code
 * intercept}). A call then only formats its key ({@link ObservedCall#keyed}): no spec chain and no
 * duration checks per call.
 *
 * <p>Thread-safety: thread-safe; building twice under a race gives equal specs, the last one kept.
 */
final class SpecTemplate {

  private volatile @Nullable Built built;

  private record Built(LockManager manager, LockSpec spec) {}

  /** The template for {@code manager}, built by {@code build} the first time. */
  LockSpec spec(LockManager manager, Function<LockManager, LockSpec> build) {
    Built current = built;
    if (current == null || current.manager() != manager) {
      current = new Built(manager, ObservedCall.reportedAs(build.apply(manager), "intercept"));
      built = current;
    }
    return current.spec();
  }
}

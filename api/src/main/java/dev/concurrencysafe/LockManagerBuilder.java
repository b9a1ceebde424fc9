package dev.concurrencysafe;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.CheckReturnValue;
import dev.concurrencysafe.integration.DurationLimits;
import dev.concurrencysafe.internal.Checks;
import dev.concurrencysafe.internal.InMemoryBackend;
import dev.concurrencysafe.internal.ListenerInstrumentation;
import dev.concurrencysafe.internal.LockEngine;
import dev.concurrencysafe.internal.ManagerSettings;
import dev.concurrencysafe.internal.RedissonBackend;
import dev.concurrencysafe.spi.LockBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.redisson.api.RedissonClient;

/**
 * Settings for a {@link LockManager}, ended by a terminal verb naming the store: {@link
 * #redisson(RedissonClient)}, {@link #inMemory()} or {@link #backend(LockBackend)} (any {@link
 * LockBackend}, such as a third-party store that passed the contract suite of {@code
 * concurrency-safe-test}).
 *
 * <pre>{@code
 * LockManager locks = LockManager.builder()
 *     .keyPrefix("shop:")
 *     .unavailableTimeout(Duration.ofSeconds(2))
 *     .redisson(client);
 * }</pre>
 *
 * <p>The setters change this builder and return it (their result may be dropped); the terminal
 * verbs' results must be used (a dropped manager would hold a renewal thread nobody closes).
 *
 * <p>Thread-safety: not thread-safe; the terminal verb copies the settings.
 */
@CheckReturnValue
public final class LockManagerBuilder {

  /** The ttl of specs made from a literal key unless {@link #defaultTtl} says otherwise: 10 s. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);

  /** How long one store call may take unless {@link #unavailableTimeout} says otherwise: 3 s. */
  public static final Duration DEFAULT_UNAVAILABLE_TIMEOUT = Duration.ofSeconds(3);

  /**
   * How long a fencing counter outlives its lock unless {@link #fencingRetention} says otherwise:
   * zero, so a released key leaves nothing in Redis.
   */
  public static final Duration DEFAULT_FENCING_RETENTION = Duration.ZERO;

  /**
   * How often a repeated line is written per key name unless {@link #repeatedLogInterval} says
   * otherwise: 10 s.
   */
  public static final Duration DEFAULT_REPEATED_LOG_INTERVAL = Duration.ofSeconds(10);

  private String keyPrefix = "";
  private Duration defaultTtl = DEFAULT_TTL;
  private Duration unavailableTimeout = DEFAULT_UNAVAILABLE_TIMEOUT;
  private Duration fencingRetention = DEFAULT_FENCING_RETENTION;

  /** Instrumentations and listeners (wrapped as instrumentations), in registration order. */
  private final List<LockInstrumentation> instrumentations = new ArrayList<>();

  private int replicas;
  private Duration replicaTimeout = Duration.ZERO;
  private Duration repeatedLogInterval = DEFAULT_REPEATED_LOG_INTERVAL;
  private boolean handOver;

  LockManagerBuilder() {}

  /** Prepended to every key in the store, e.g. {@code "shop:"}; must not contain braces. */
  @CanIgnoreReturnValue
  public LockManagerBuilder keyPrefix(String keyPrefix) {
    this.keyPrefix = Checks.keyPrefix(keyPrefix);
    return this;
  }

  /** The ttl of specs made from a literal key; default 10 s. */
  @CanIgnoreReturnValue
  public LockManagerBuilder defaultTtl(Duration defaultTtl) {
    this.defaultTtl = DurationLimits.ttl(defaultTtl, "defaultTtl");
    return this;
  }

  /**
   * How long one call to the store may take before the call fails closed with {@link
   * LockUnavailableException}; default 3 s.
   */
  @CanIgnoreReturnValue
  public LockManagerBuilder unavailableTimeout(Duration unavailableTimeout) {
    this.unavailableTimeout = DurationLimits.positive(unavailableTimeout, "unavailableTimeout");
    return this;
  }

  /**
   * Keeps a key's fencing counter this long after its lock (one small key per distinct lock key,
   * e.g. 10 min: about 3 million keys at 5,000 new keys/s), so that tokens stay strictly increasing
   * even if the Redis server's clock steps back by less than this. By default there is no
   * retention: the counter lives only while the lock does (and while it is ahead of the server
   * clock), a released key leaves nothing in Redis, and tokens stay strictly increasing as long as
   * the server clock does not step back (NTP slewing is fine; a step back of the wall clock between
   * two acquisitions of a key can issue a smaller token). See docs/design.md.
   */
  @CanIgnoreReturnValue
  public LockManagerBuilder fencingRetention(Duration fencingRetention) {
    this.fencingRetention = DurationLimits.notNegative(fencingRetention, "fencingRetention");
    return this;
  }

  /**
   * Redis only: an acquisition counts only once {@code replicas} replicas acknowledged it (Redis
   * {@code WAIT}, on the same connection) within {@code timeout}; otherwise it is given back and
   * the call fails closed with {@link LockUnavailableException}. Narrows, but cannot close, the
   * window in which a Sentinel/Cluster failover loses a fresh lock (see docs/reliability.md); costs
   * one replication round trip per acquisition. Default: 0 (no wait). Ignored by {@link
   * #inMemory()}.
   */
  @CanIgnoreReturnValue
  public LockManagerBuilder waitForReplicas(int replicas, Duration timeout) {
    if (replicas < 0) {
      throw new IllegalArgumentException("replicas must be >= 0, but was " + replicas);
    }
    this.replicaTimeout = DurationLimits.positive(timeout, "replica timeout");
    this.replicas = replicas;
    return this;
  }

  /**
   * Redis only: whether waiters queue in Redis and a release hands the key straight to the first
   * live one (FIFO across every node of the fleet, no race among woken waiters), notifying only
   * that waiter's node on a channel in the key's own hash slot (sharded pub/sub on Redis 7+ and
   * Valkey). A release nobody waits for publishes nothing. Redis work per lock then stays the same
   * however many nodes share the keys; see docs/fleet-protocol.md for the protocol, its crash
   * bounds (a waiter that dies costs the others at most 0.9 s) and a rolling upgrade (nodes of both
   * settings on the same keys never give a key to two holders; waiters of the other setting may
   * wait up to the holder's ttl). Default: false (every release is published to the nodes that wait
   * for the key's prefix, whose first waiter each tries again). Ignored by {@link #inMemory()}.
   */
  @CanIgnoreReturnValue
  public LockManagerBuilder handOver(boolean handOver) {
    this.handOver = handOver;
    return this;
  }

  /**
   * No log storm: per key name (e.g. {@code CacheKey.PURCHASE}), the first refusal of a duplicate
   * in each interval is logged at the spec's level and the others are summed up in one line at the
   * interval's end ({@code ... and 12,345 more refusals of CacheKey.PURCHASE in the last 10 s});
   * the same holds for runs without the lock ({@code failOpen()}) and failed releases during an
   * outage. Listeners and metrics still see every event. Default 10 s; zero logs every line.
   */
  @CanIgnoreReturnValue
  public LockManagerBuilder repeatedLogInterval(Duration interval) {
    this.repeatedLogInterval = DurationLimits.notNegative(interval, "repeatedLogInterval");
    return this;
  }

  /**
   * Adds an instrumentation around every lock call (see {@link LockInstrumentation}); several are
   * called in the order added, the first one outermost.
   */
  @CanIgnoreReturnValue
  public LockManagerBuilder instrumentation(LockInstrumentation instrumentation) {
    instrumentations.add(Checks.notNull(instrumentation, "instrumentation"));
    return this;
  }

  /**
   * Adds a listener for lock events (see {@link LockListener} for its threading contract). A
   * listener is an instrumentation that only receives events: it takes its place in the order of
   * {@link #instrumentation} calls.
   */
  @CanIgnoreReturnValue
  public LockManagerBuilder listener(LockListener listener) {
    instrumentations.add(ListenerInstrumentation.of(Checks.notNull(listener, "listener")));
    return this;
  }

  /** A manager over Redis through {@code client}, which it does not close. */
  public LockManager redisson(RedissonClient client) {
    return backend(redissonBackend(client));
  }

  /** A manager confined to this JVM. */
  public LockManager inMemory() {
    return backend(inMemoryBackend());
  }

  /**
   * A manager over {@code backend}, with this builder's settings; the manager closes the backend
   * when it shuts down. Every semantic (fail fast, waiting, renewal, reentrancy, cooldown, time
   * bounds) is the engine's, so a backend that passes the contract suite behaves like the built-in
   * ones.
   */
  public LockManager backend(LockBackend backend) {
    Checks.notNull(backend, "backend");
    return new LockEngine(backend, settings());
  }

  /**
   * The built-in Redis backend with this builder's key prefix, fencing retention and replica
   * settings, on its own: for {@link #backend(LockBackend)} (e.g. wrapped by a decorator), for
   * benchmarks, and as the reference a third-party backend's contract run compares against. It does
   * not close {@code client}.
   */
  public LockBackend redissonBackend(RedissonClient client) {
    Checks.notNull(client, "client");
    return new RedissonBackend(
        client, fencingRetention, keyPrefix, replicas, replicaTimeout, handOver);
  }

  /** The built-in in-memory backend on its own (see {@link #redissonBackend}). */
  public LockBackend inMemoryBackend() {
    return new InMemoryBackend();
  }

  private ManagerSettings settings() {
    return new ManagerSettings(
        keyPrefix,
        defaultTtl,
        unavailableTimeout,
        fencingRetention,
        List.copyOf(instrumentations),
        repeatedLogInterval);
  }
}

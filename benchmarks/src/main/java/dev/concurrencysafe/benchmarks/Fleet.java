package dev.concurrencysafe.benchmarks;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;

/**
 * A simulated fleet: N application nodes, each with its own Redisson client and its own lock
 * manager, as N pods of one service would have, all in this JVM (so the process CPU is the whole
 * fleet's client CPU). Only the public API and raw Redisson are used, so the fleet measures
 * whatever protocol the library implements.
 *
 * <p>Thread-safety: the nodes' clients and managers are thread-safe; {@link #close()} is for one
 * thread.
 */
final class Fleet implements AutoCloseable {

  /**
   * One application node: its client, and a manager of each protocol on it (the release notifies
   * waiting nodes; the release hands the key to the first waiter queued in Redis).
   */
  record Node(RedissonClient client, LockManager locks, LockManager handOverLocks) {}

  /** How one lock implementation is driven; the same calls for ours and raw RLock. */
  interface Protocol {
    String id();

    /** One uncontended acquire + release of {@code key} on {@code node}; refused is an error. */
    void cycle(Node node, String key) throws Exception;

    /** Waits up to {@code wait} for {@code key}, runs {@code body}; false if the wait timed out. */
    boolean waitFor(Node node, String key, Duration wait, Runnable body) throws Exception;

    /** Takes {@code key}; the returned handle releases it (on the calling thread). */
    AutoCloseable hold(Node node, String key) throws Exception;
  }

  static final Duration TTL = Duration.ofSeconds(30);

  final List<Node> nodes;

  private Fleet(List<Node> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  /** {@code size} nodes, each from its own {@code newClient} call. */
  static Fleet of(int size, Supplier<RedissonClient> newClient) {
    List<Node> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < size; i++) {
        RedissonClient client = newClient.get();
        nodes.add(
            new Node(
                client,
                LockManager.redisson(client),
                LockManager.builder().handOver(true).redisson(client)));
      }
      return new Fleet(nodes);
    } catch (RuntimeException e) {
      new Fleet(nodes).close();
      throw e;
    }
  }

  /** Ours, on the manager of the protocol {@code manager} picks from a node. */
  private record Ours(String id, Function<Node, LockManager> manager) implements Protocol {
    @Override
    public void cycle(Node node, String key) {
      manager.apply(node).with(key).ttl(TTL).run(() -> {});
    }

    @Override
    public boolean waitFor(Node node, String key, Duration wait, Runnable body) {
      try {
        // timing out is part of the plan (Fleet.waitOnce): not worth a warning line each
        manager
            .apply(node)
            .with(key)
            .ttl(TTL)
            .waitTimeout(wait)
            .blockedLogLevel(System.Logger.Level.DEBUG)
            .run(body::run);
        return true;
      } catch (ConcurrencyException timedOut) {
        return false;
      }
    }

    @Override
    public AutoCloseable hold(Node node, String key) {
      Lease lease = manager.apply(node).with(key).ttl(TTL).acquire();
      return lease::close;
    }
  }

  /** Ours with the default protocol: a release is published to the waiting nodes. */
  static final Protocol OURS = new Ours("ours", Node::locks);

  /** Ours with {@code handOver(true)}: a release hands the key to the first queued waiter. */
  static final Protocol HAND_OVER = new Ours("handover", Node::handOverLocks);

  static final Protocol RLOCK =
      new Protocol() {
        @Override
        public String id() {
          return "rlock";
        }

        @Override
        public void cycle(Node node, String key) throws InterruptedException {
          RLock lock = node.client().getLock(key);
          if (!lock.tryLock(0, TTL.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("RLock refused an uncontended key '" + key + "'");
          }
          lock.unlock();
        }

        @Override
        public boolean waitFor(Node node, String key, Duration wait, Runnable body)
            throws InterruptedException {
          RLock lock = node.client().getLock(key);
          if (!lock.tryLock(wait.toMillis(), TTL.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
          }
          try {
            body.run();
          } finally {
            lock.unlock();
          }
          return true;
        }

        @Override
        public AutoCloseable hold(Node node, String key) throws InterruptedException {
          RLock lock = node.client().getLock(key);
          if (!lock.tryLock(0, TTL.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("RLock refused an uncontended key '" + key + "'");
          }
          return lock::unlock;
        }
      };

  /**
   * Every node but the first waits once ({@code wait}, in parallel) for a key the first holds, and
   * times out: afterwards each has done what a waiting node does (subscribed, queued) and whatever
   * it keeps after a wait is in place, as in a fleet where every node has contended once.
   */
  void waitOnce(Protocol protocol, String key, Duration wait) throws Exception {
    if (nodes.size() < 2) {
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(nodes.size() - 1);
    try (AutoCloseable held = protocol.hold(nodes.get(0), key)) {
      List<Future<Boolean>> waits = new ArrayList<>();
      for (Node node : nodes.subList(1, nodes.size())) {
        waits.add(pool.submit(() -> protocol.waitFor(node, key, wait, () -> {})));
      }
      for (Future<Boolean> took : waits) {
        if (took.get()) {
          throw new IllegalStateException("a waiter took '" + key + "' while it was held");
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Override
  public void close() {
    for (Node node : nodes) {
      try {
        node.locks().close();
        node.handOverLocks().close();
      } finally {
        node.client().shutdown();
      }
    }
  }
}

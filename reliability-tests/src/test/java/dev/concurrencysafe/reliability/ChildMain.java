package dev.concurrencysafe.reliability;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockManager;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RBucket;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The program a {@link ChildJvm} runs. Modes:
 *
 * <ul>
 *   <li>{@code hammer <port> <keys> <threads> <sections> <ttlMs> <longEvery> <longMs>}: prints
 *       READY, waits for GO, then runs {@code sections} critical sections over {@code keys} keys.
 *       Each section is a non-atomic read-modify-write on a Redis counter (GET, pause, SET) that
 *       also checks the fencing token it read is lower than its own; every {@code longEvery}-th
 *       section of a thread outlasts the ttl. Prints DONE with its counts.
 *   <li>{@code hold <port>} ({@code <port>}: or a Cluster's comma-separated node URIs): reads
 *       commands from stdin: {@code ACQUIRE key ttlMs} (prints ACQUIRED token), {@code WAIT key
 *       ttlMs waitMs} (waits for it: prints ACQUIRED token or BLOCKED), {@code CHECK} (prints VALID
 *       true|false), {@code WRITE resourceKey} (a fenced write with the lease's token; prints
 *       WRITTEN true|false), {@code RELEASE} (prints RELEASED), {@code EXIT}.
 *   <li>Either mode with the suffix {@code -handover} ({@code hold-handover}): the manager has
 *       {@code handOver(true)}.
 * </ul>
 *
 * <p>Thread-safety: a program; hammer threads share only atomic counters.
 */
public final class ChildMain {

  /** A mode's suffix for a manager with {@code handOver(true)}: {@code hold-handover}. */
  static final String HAND_OVER = "-handover";

  private ChildMain() {}

  public static void main(String[] args) throws Exception {
    RedissonClient client = Clients.of(args[1]);
    boolean handOver = args[0].endsWith(HAND_OVER);
    try (LockManager locks = LockManager.builder().handOver(handOver).redisson(client)) {
      BufferedReader stdin =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      switch (args[0].replace(HAND_OVER, "")) {
        case "hammer" -> hammer(client, locks, stdin, args);
        case "hold" -> hold(client, locks, stdin);
        default -> throw new IllegalArgumentException("unknown mode " + args[0]);
      }
    } finally {
      client.shutdown();
    }
    System.exit(0);
  }

  private static void hammer(
      RedissonClient client, LockManager locks, BufferedReader stdin, String[] args)
      throws Exception {
    int keys = Integer.parseInt(args[2]);
    int threads = Integer.parseInt(args[3]);
    int sections = Integer.parseInt(args[4]);
    Duration ttl = Duration.ofMillis(Long.parseLong(args[5]));
    int longEvery = Integer.parseInt(args[6]);
    long longMs = Long.parseLong(args[7]);
    AtomicLong claimed = new AtomicLong();
    AtomicLong done = new AtomicLong();
    AtomicLong blocked = new AtomicLong();
    AtomicLong fenceViolations = new AtomicLong();
    AtomicLong longBodies = new AtomicLong();
    AtomicLong invalidAfterLong = new AtomicLong();
    AtomicLong invalidAtEnd = new AtomicLong();
    AtomicLong takenDuring = new AtomicLong();
    AtomicLong validButTaken = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    System.out.println("READY");
    if (!"GO".equals(stdin.readLine())) {
      return;
    }
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      boolean waits = t % 2 == 0;
      Thread worker =
          new Thread(
              () -> {
                int mine = 0;
                while (claimed.incrementAndGet() <= sections) {
                  int k = ThreadLocalRandom.current().nextInt(keys);
                  RBucket<String> counter =
                      client.getBucket("rel:counter:" + k, StringCodec.INSTANCE);
                  // The lock's fencing counter (key layout of docs/design.md): while we own the
                  // lock it
                  // holds our token; anything else means another owner acquired during our section.
                  RBucket<String> fence =
                      client.getBucket("{rel:hammer:" + k + "}:fence", StringCodec.INSTANCE);
                  boolean longBody = ++mine % longEvery == 0;
                  while (true) {
                    try (Lease lease =
                        locks
                            .with("rel:hammer:" + k)
                            .ttl(ttl)
                            .waitTimeout(waits ? Duration.ofSeconds(10) : Duration.ZERO)
                            .blockedLogLevel(System.Logger.Level.DEBUG)
                            .acquire()) {
                      // The detector: read, pause, write. Any overlap loses an update (or sees a
                      // token
                      // that is not older than its own).
                      String[] read = parse(counter.get());
                      if (Long.parseLong(read[1]) >= lease.fencingToken()) {
                        fenceViolations.incrementAndGet();
                      }
                      if (longBody) {
                        longBodies.incrementAndGet();
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(longMs));
                        if (!lease.isValid()) {
                          invalidAfterLong.incrementAndGet();
                        }
                      } else {
                        LockSupport.parkNanos(100_000);
                      }
                      counter.set((Long.parseLong(read[0]) + 1) + ":" + lease.fencingToken());
                      // Read the fence first, then ask the lease: a lease must never claim validity
                      // after
                      // another owner acquired (validity cannot come back once the key was taken).
                      boolean taken = !Long.toString(lease.fencingToken()).equals(fence.get());
                      boolean valid = lease.isValid();
                      if (taken) {
                        takenDuring.incrementAndGet();
                      }
                      if (!valid) {
                        invalidAtEnd.incrementAndGet();
                      }
                      if (taken && valid) {
                        validButTaken.incrementAndGet();
                      }
                      done.incrementAndGet();
                      break;
                    } catch (ConcurrencyException held) {
                      blocked.incrementAndGet();
                      LockSupport.parkNanos(
                          ThreadLocalRandom.current().nextLong(500_000, 2_000_000));
                    } catch (RuntimeException e) {
                      errors.incrementAndGet();
                      System.err.println("hammer error: " + e);
                      break;
                    }
                  }
                }
              },
              "hammer-" + t);
      worker.start();
      workers.add(worker);
    }
    for (Thread worker : workers) {
      worker.join();
    }
    System.out.println(
        "DONE sections="
            + done
            + " blocked="
            + blocked
            + " fenceViolations="
            + fenceViolations
            + " longBodies="
            + longBodies
            + " invalidAfterLong="
            + invalidAfterLong
            + " invalidAtEnd="
            + invalidAtEnd
            + " takenDuring="
            + takenDuring
            + " validButTaken="
            + validButTaken
            + " errors="
            + errors);
  }

  private static String[] parse(@Nullable String value) {
    return value == null ? new String[] {"0", "0"} : value.split(":");
  }

  /**
   * A fenced write, as a protected resource would do it: store {@code value} under {@code key} only
   * if {@code token} is greater than the last token that wrote there. Returns 1 if written.
   */
  static final String FENCED_WRITE =
      """
      local last = tonumber(redis.call('hget', KEYS[1], 'token') or '0')
      if tonumber(ARGV[1]) <= last then return 0 end
      redis.call('hset', KEYS[1], 'token', ARGV[1], 'value', ARGV[2])
      return 1
      """;

  private static void hold(RedissonClient client, LockManager locks, BufferedReader stdin)
      throws Exception {
    System.out.println("READY");
    Lease lease = null;
    String line;
    while ((line = stdin.readLine()) != null) {
      String[] words = line.split(" ");
      switch (words[0]) {
        case "ACQUIRE" -> {
          lease = locks.with(words[1]).ttl(Duration.ofMillis(Long.parseLong(words[2]))).acquire();
          System.out.println("ACQUIRED " + lease.fencingToken());
        }
        case "WAIT" -> {
          try {
            lease =
                locks
                    .with(words[1])
                    .ttl(Duration.ofMillis(Long.parseLong(words[2])))
                    .waitTimeout(Duration.ofMillis(Long.parseLong(words[3])))
                    .acquire();
            System.out.println("ACQUIRED " + lease.fencingToken());
          } catch (ConcurrencyException timedOut) {
            System.out.println("BLOCKED");
          }
        }
        case "CHECK" -> System.out.println("VALID " + (lease != null && lease.isValid()));
        case "WRITE" -> {
          Long written =
              client
                  .getScript(StringCodec.INSTANCE)
                  .eval(
                      RScript.Mode.READ_WRITE,
                      FENCED_WRITE,
                      RScript.ReturnType.LONG,
                      List.of(words[1]),
                      Long.toString(lease == null ? 0 : lease.fencingToken()),
                      "child-" + ProcessHandle.current().pid());
          System.out.println("WRITTEN " + (written == 1));
        }
        case "RELEASE" -> {
          if (lease != null) {
            lease.close();
          }
          System.out.println("RELEASED");
        }
        case "EXIT" -> {
          return;
        }
        default -> System.out.println("UNKNOWN " + line);
      }
    }
  }
}

package dev.concurrencysafe.internal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.RBucket;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;

/**
 * One application node in its own JVM for {@link GrantProcessCases}: a Redisson client (of one
 * server, or of a Cluster when given several comma-separated addresses) and a {@link GrantNode}
 * (lease 450 ms, so a beat every 150 ms; claim 300 ms), driven by commands on stdin, one per line,
 * reporting on stdout. Each acquisition runs on a thread of its own.
 *
 * <ul>
 *   <li>{@code acquire <key> <owner> <waitMs> <holdMs>}: prints {@code queued <owner>} if it had to
 *       queue, then {@code held <owner> <token>} or {@code timeout <owner>}; holds for holdMs (the
 *       body) and prints {@code released <owner> <reply>}, or with holdMs &lt; 0 holds until {@code
 *       release <owner>}.
 *   <li>{@code cancel <owner>}: interrupts that acquisition's wait; prints {@code cancelled
 *       <owner>}.
 *   <li>{@code rmw <key> <threads> <rounds>}: threads × rounds bodies, each a non-atomic GET + SET
 *       of the counter {@code <key>-counter}; prints {@code rmw-done <bodies>}.
 * </ul>
 *
 * Any failure prints {@code error <text>}. The process ends when stdin closes.
 */
final class GrantWorker {

  private final GrantNode node;
  private final Map<String, Thread> waiting = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> releases = new ConcurrentHashMap<>();

  private GrantWorker(GrantNode node) {
    this.node = node;
  }

  public static void main(String[] args) throws Exception {
    Config config = new Config();
    String[] addresses = args[0].split(",");
    if (addresses.length == 1) {
      config.useSingleServer().setAddress(addresses[0]);
    } else {
      config.useClusterServers().setReadMode(ReadMode.MASTER).addNodeAddress(addresses);
    }
    try (GrantNode node = new GrantNode(Redisson.create(config), args[1])) {
      node.leaseMs = 450;
      node.claimMs = 300;
      GrantWorker worker = new GrantWorker(node);
      say("ready " + ProcessHandle.current().pid());
      var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        worker.handle(line.trim().split(" "));
      }
    }
  }

  static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  private void handle(String[] command) {
    switch (command[0]) {
      case "acquire" -> {
        Thread thread =
            new Thread(
                () ->
                    reportingErrors(
                        () ->
                            acquire(
                                command[1],
                                command[2],
                                Long.parseLong(command[3]),
                                Long.parseLong(command[4]))));
        waiting.put(command[2], thread);
        thread.setDaemon(true); // stdin closing (the test's JVM gone) ends this process
        thread.start();
      }
      case "release" ->
          releases.computeIfAbsent(command[1], o -> new CountDownLatch(1)).countDown();
      case "cancel" -> waiting.get(command[1]).interrupt();
      case "rmw" -> {
        Thread thread =
            new Thread(
                () ->
                    reportingErrors(
                        () ->
                            rmw(
                                command[1],
                                Integer.parseInt(command[2]),
                                Integer.parseInt(command[3]))));
        thread.setDaemon(true);
        thread.start();
      }
      default -> say("error unknown command " + command[0]);
    }
  }

  private static void reportingErrors(Body body) {
    try {
      body.run();
    } catch (Exception | AssertionError e) {
      say("error " + e);
    }
  }

  private void acquire(String key, String owner, long waitMs, long holdMs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
    long token = node.acquire(key, owner, 10_000, waitMs);
    if (token < 0) {
      say("queued " + owner);
      token = node.await(key, owner, 10_000, deadline);
    }
    if (token < 0) {
      say((Thread.interrupted() ? "cancelled " : "timeout ") + owner);
      return;
    }
    say("held " + owner + " " + token);
    if (holdMs >= 0) {
      Thread.sleep(holdMs); // the body
    } else {
      releases.computeIfAbsent(owner, o -> new CountDownLatch(1)).await();
    }
    say("released " + owner + " " + node.release(key, owner, 0));
  }

  private void rmw(String key, int threads, int rounds) throws Exception {
    RBucket<String> counter = node.client.getBucket(key + "-counter", StringCodec.INSTANCE);
    List<Thread> workers = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread worker =
          new Thread(
              () -> {
                try {
                  for (int r = 0; r < rounds; r++) {
                    String owner = node.owner(thread * 10_000 + r);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    long token = node.acquire(key, owner, 10_000, 60_000);
                    if (token < 0) {
                      token = node.await(key, owner, 10_000, deadline);
                    }
                    if (token < 0) {
                      throw new IllegalStateException("no grant within 60 s for " + owner);
                    }
                    String value = counter.get(); // non-atomic: two holders lose an update
                    counter.set(Long.toString((value == null ? 0 : Long.parseLong(value)) + 1));
                    if (node.release(key, owner, 0) <= 0) {
                      throw new IllegalStateException(owner + " did not hold the key at release");
                    }
                  }
                } catch (RuntimeException e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                }
              });
      worker.setDaemon(true);
      workers.add(worker);
    }
    workers.forEach(Thread::start);
    for (Thread worker : workers) {
      worker.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException(failures.size() + " threads failed", failures.get(0));
    }
    say("rmw-done " + threads * rounds);
  }

  private interface Body {
    void run() throws Exception;
  }
}

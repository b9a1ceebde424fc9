package dev.concurrencysafe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.testing.CommandStat;
import dev.concurrencysafe.testing.RedisServer;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RScript;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * What an uncontended cycle costs the server with the grant scripts, next to the current scripts in
 * the same run: script CPU ({@code INFO commandstats}) and the commands they run, publishes
 * included. Prints the figures; asserts only what must hold whatever the load.
 */
class GrantProtocolCostTest {

  static final int CYCLES = 2_000;
  static final int ROUNDS = 7;
  static final Set<String> NOT_IN_SCRIPTS =
      Set.of(
          "info", "config", "ping", "client", "hello", "select", "command", "cluster", "readonly");
  static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  /**
   * Server µs spent in scripts, and commands run inside them (EVAL/EVALSHA themselves excluded).
   */
  static long[] serverCost() {
    long micros = 0;
    long commands = 0;
    for (CommandStat stat : redis.commandStats()) {
      if (stat.command().equals("evalsha") || stat.command().equals("eval")) {
        micros += stat.usec();
      } else if (!NOT_IN_SCRIPTS.contains(stat.command())) {
        commands += stat.calls();
      }
    }
    return new long[] {micros, commands};
  }

  /**
   * Alternates blocks of both protocols' cycles and keeps, per protocol, the cheapest block: the
   * machine is shared, and interference only ever adds time, so the minimum is the figure that
   * compares the scripts rather than the neighbours.
   */
  @Test
  void anUncontendedCycleCostsTheServerAboutWhatTheCurrentProtocolDoesAndPublishesNothing() {
    Config config = new Config();
    config.useSingleServer().setAddress(redis.uri());
    var client = Redisson.create(config);
    try (GrantNode node = new GrantNode(client, "n")) {
      RScript script = client.getScript(StringCodec.INSTANCE);
      String acquire = script.scriptLoad(RedisScripts.ACQUIRE.source);
      String release = script.scriptLoad(RedisScripts.RELEASE.source);
      double[] oldMicros = new double[ROUNDS];
      double[] grantMicros = new double[ROUNDS];
      long[] old = {};
      long[] grant = {};
      for (int round = -1; round < ROUNDS; round++) { // round -1 warms up both
        redis.command("CONFIG", "RESETSTAT");
        for (int i = 0; i < CYCLES; i++) {
          String lock = "{old" + i + "}";
          List<Object> keys = List.of(lock, lock + ":fence");
          script.evalSha(
              RScript.Mode.READ_WRITE, acquire, RScript.ReturnType.LONG, keys, "o", "10000", "0");
          script.evalSha(
              RScript.Mode.READ_WRITE,
              release,
              RScript.ReturnType.LONG,
              keys,
              "o",
              "0",
              "concurrency-safe:released",
              "0",
              lock);
        }
        old = serverCost();
        redis.command("CONFIG", "RESETSTAT");
        for (int i = 0; i < CYCLES; i++) {
          String key = "new" + i;
          assertTrue(node.acquire(key, node.owner(i), 10_000, 0) > 0);
          assertEquals(1, node.release(key, node.owner(i), 0));
        }
        grant = serverCost();
        assertEquals(0, redis.commandCalls("publish") + redis.commandCalls("spublish"));
        assertEquals(0, redis.keyCount());
        if (round >= 0) {
          oldMicros[round] = old[0] / (double) CYCLES;
          grantMicros[round] = grant[0] / (double) CYCLES;
        }
      }
      Arrays.sort(oldMicros);
      Arrays.sort(grantMicros);
      System.out.printf(
          "[cost] per uncontended cycle on %s, cheapest / median of %d blocks of %d: current"
              + " scripts %.1f / %.1f µs, %.1f commands inside; grant scripts %.1f / %.1f µs,"
              + " %.1f commands inside%n",
          redis.serverVersion(),
          ROUNDS,
          CYCLES,
          oldMicros[0],
          oldMicros[ROUNDS / 2],
          old[1] / (double) CYCLES,
          grantMicros[0],
          grantMicros[ROUNDS / 2],
          grant[1] / (double) CYCLES);
    }
  }
}

package dev.concurrencysafe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.testing.CommandStat;
import dev.concurrencysafe.testing.RedisServer;
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

  static final int CYCLES = 3_000;
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

  @Test
  void anUncontendedCycleCostsTheServerAboutWhatTheCurrentProtocolDoesAndPublishesNothing() {
    Config config = new Config();
    config.useSingleServer().setAddress(redis.uri());
    var client = Redisson.create(config);
    try (GrantNode node = new GrantNode(client, "n")) {
      RScript script = client.getScript(StringCodec.INSTANCE);
      String acquire = script.scriptLoad(RedisScripts.ACQUIRE.source);
      String release = script.scriptLoad(RedisScripts.RELEASE.source);
      for (int round = 0; round < 2; round++) { // the first round warms up both
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
        long[] old = serverCost();
        redis.command("CONFIG", "RESETSTAT");
        for (int i = 0; i < CYCLES; i++) {
          String key = "new" + i;
          assertTrue(node.acquire(key, node.owner(i), 10_000, 0) > 0);
          assertEquals(1, node.release(key, node.owner(i), 0));
        }
        long[] grant = serverCost();
        assertEquals(0, redis.commandCalls("publish") + redis.commandCalls("spublish"));
        assertEquals(0, redis.keyCount());
        if (round == 1) {
          System.out.printf(
              "[cost] per uncontended cycle on %s: current scripts %.1f µs, %.1f"
                  + " commands inside; grant scripts %.1f µs, %.1f commands inside%n",
              redis.serverVersion(),
              old[0] / (double) CYCLES,
              old[1] / (double) CYCLES,
              grant[0] / (double) CYCLES,
              grant[1] / (double) CYCLES);
        }
      }
    }
  }
}

package dev.concurrencysafe.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The parsers the benchmarks and reliability tests rely on, on the server this run chose. */
class RedisServerTest {

  @RegisterExtension static final RedisExtension redis = RedisExtension.perClass();

  @Test
  void theChosenServerIsTheOneRunning() {
    ServerBinary binary = ServerBinary.chosen();
    assertEquals(binary.toString(), redis.server().serverVersion(), binary.describe());
  }

  @Test
  void commandCallsCountSubcommandsOnEveryServer() {
    redis.command("CONFIG", "RESETSTAT");
    redis.command("CONFIG", "GET", "maxmemory");
    redis.command("CLIENT", "GETNAME");
    redis.command("SET", "stat:k", "v");
    // 6.2 lists "config" (2 calls: RESETSTAT counts after the reset); 7+ "config|get" and
    // "config|resetstat" apart
    assertTrue(redis.server().commandCalls("config") >= 1, redis.command("INFO", "commandstats"));
    assertEquals(1, redis.server().commandCalls("set"));
    assertEquals(1, redis.server().commandCalls("client"));
    for (CommandStat stat : redis.server().commandStats()) {
      assertTrue(!stat.command().contains("|"), stat.toString());
    }
  }

  @Test
  void commandStatLinesOfEachServerFormat() {
    CommandStat old = CommandStat.parse("cmdstat_config:calls=2,usec=31,usec_per_call=15.50");
    CommandStat seven =
        CommandStat.parse(
            "cmdstat_config|resetstat:calls=1,usec=9,usec_per_call=9.00,rejected_calls=0,failed_calls=0");
    assertEquals("config", old.command());
    assertEquals("config", seven.command());
    assertEquals("config|resetstat", seven.name());
    assertEquals(1, seven.calls());
    assertEquals(9, seven.usec());
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> CommandStat.parse("used_memory:1024"));
    assertTrue(bad.getMessage().contains("used_memory:1024"), bad.getMessage());
  }
}

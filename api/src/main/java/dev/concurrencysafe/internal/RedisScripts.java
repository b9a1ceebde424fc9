package dev.concurrencysafe.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of the Redis protocol (see docs/design.md). Each runs atomically on the node
 * owning its keys; KEYS[1] is the lock, KEYS[2] its fencing counter, both in the same hash slot.
 *
 * <p>Thread-safety: immutable.
 */
enum RedisScripts {

  /**
   * ARGV: owner, ttl ms, fencing retention ms. Returns the new fencing token (&gt; 0) or, when
   * held, -1 - the holder's remaining ttl in ms. The token is max(last + 1, server time in µs):
   * strictly increasing while the counter lives, and after it expired as long as the server clock
   * did not step back by more than the retention. Idempotent: the client may resend it after a
   * timeout, and a resend by the owner that already took the key returns that same token.
   */
  ACQUIRE("""
      local holder = redis.call('get', KEYS[1])
      if holder == ARGV[1] then
        return tonumber(redis.call('get', KEYS[2]) or '1')
      end
      if holder then
        return -1 - math.max(redis.call('pttl', KEYS[1]), 0)
      end
      redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
      local now = redis.call('time')
      local micros = tonumber(now[1]) * 1000000 + tonumber(now[2])
      local last = tonumber(redis.call('get', KEYS[2]) or '0')
      local token = math.max(last + 1, micros)
      redis.call('set', KEYS[2], string.format('%.0f', token), 'PX', tonumber(ARGV[2]) + tonumber(ARGV[3]))
      return token
      """),

  /** ARGV: owner, ttl ms, fencing retention ms. Returns 1 if still owned (expiry reset), else 0. */
  RENEW("""
      if redis.call('get', KEYS[1]) == ARGV[1] then
        redis.call('pexpire', KEYS[1], ARGV[2])
        redis.call('pexpire', KEYS[2], tonumber(ARGV[2]) + tonumber(ARGV[3]))
        return 1
      end
      return 0
      """),

  /**
   * ARGV: owner, keep ms (cooldown left), channel, fencing retention ms, lock name. If owned: with
   * keep &gt; 0 the key stays held for keep ms under a value no owner has (so a renewal still in
   * flight cannot stretch the cooldown back to the ttl); else it is deleted and the lock name
   * published on the channel. The name comes from the client, not KEYS[1]: a Redisson NameMapper
   * renames KEYS but waiters know the key by its own name. Returns 1 if owned, else 0 (nothing
   * touched).
   */
  RELEASE("""
      if redis.call('get', KEYS[1]) == ARGV[1] then
        local keep = tonumber(ARGV[2])
        if keep > 0 then
          redis.call('set', KEYS[1], 'cooldown:' .. ARGV[1], 'PX', keep)
          redis.call('pexpire', KEYS[2], keep + tonumber(ARGV[4]))
          return 1
        end
        redis.call('del', KEYS[1])
        redis.call('publish', ARGV[3], ARGV[5])
        return 1
      end
      return 0
      """);

  final String source;
  final String sha1;

  RedisScripts(String source) {
    this.source = source;
    this.sha1 = sha1(source);
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by every JRE", e);
    }
  }
}

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
   * held, -1 - the holder's remaining ttl in ms. The token is max(last + 1, server time in µs),
   * strictly increasing per key (see {@link #FENCE_EXPIRY} for how long the counter is kept).
   * Idempotent: the client may resend it after a timeout, and a resend by the owner that already
   * took the key returns that same token.
   */
  ACQUIRE(
      RedisScripts.FENCE_EXPIRY
          + """
      local holder = redis.call('get', KEYS[1])
      if holder == ARGV[1] then
        return tonumber(redis.call('get', KEYS[2]) or '1')
      end
      if holder then
        return -1 - math.max(redis.call('pttl', KEYS[1]), 0)
      end
      redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
      local micros = now_micros()
      local last = tonumber(redis.call('get', KEYS[2]) or '0')
      local token = math.max(last + 1, micros)
      redis.call('set', KEYS[2], string.format('%.0f', token), 'PX',
          fence_expiry(tonumber(ARGV[2]), tonumber(ARGV[3]), token, micros))
      return token
      """),

  /** ARGV: owner, ttl ms, fencing retention ms. Returns 1 if still owned (expiry reset), else 0. */
  RENEW(
      RedisScripts.FENCE_EXPIRY
          + """
      if redis.call('get', KEYS[1]) == ARGV[1] then
        redis.call('pexpire', KEYS[1], ARGV[2])
        local token = tonumber(redis.call('get', KEYS[2]) or '0')
        redis.call('pexpire', KEYS[2],
            fence_expiry(tonumber(ARGV[2]), tonumber(ARGV[3]), token, now_micros()))
        return 1
      end
      return 0
      """),

  /**
   * ARGV: owner, keep ms (cooldown left), channel, fencing retention ms, lock name. If owned: with
   * keep &gt; 0 the key stays held for keep ms under a value no owner has (so a renewal still in
   * flight cannot stretch the cooldown back to the ttl); else it is deleted and the lock name
   * published on the channel. The name comes from the client, not KEYS[1]: a Redisson NameMapper
   * renames KEYS but waiters know the key by its own name. With retention 0 the counter goes as
   * well, unless it is ahead of the clock (then it stays until the clock passed it). Returns 1 if
   * owned, else 0 (nothing touched).
   */
  RELEASE(
      RedisScripts.FENCE_EXPIRY
          + """
      if redis.call('get', KEYS[1]) == ARGV[1] then
        local keep = tonumber(ARGV[2])
        local retention = tonumber(ARGV[4])
        if keep > 0 then
          redis.call('set', KEYS[1], 'cooldown:' .. ARGV[1], 'PX', keep)
          local token = tonumber(redis.call('get', KEYS[2]) or '0')
          redis.call('pexpire', KEYS[2], fence_expiry(keep, retention, token, now_micros()))
          return 1
        end
        redis.call('del', KEYS[1])
        if retention == 0 then
          local token = tonumber(redis.call('get', KEYS[2]) or '0')
          local micros = now_micros()
          if token < micros then
            redis.call('del', KEYS[2])
          else
            redis.call('pexpire', KEYS[2], fence_expiry(0, 0, token, micros))
          end
        end
        redis.call('publish', ARGV[3], ARGV[5])
        return 1
      end
      return 0
      """);

  /**
   * How long the fencing counter {@code KEYS[2]} must live after the lock's {@code hold} ms. With a
   * retention (the opt-in {@code fencingRetention}) it is hold + retention: tokens stay increasing
   * even if the server clock steps back by less than the retention. With retention 0 (the default)
   * the counter lives only while the lock does and, should it be ahead of the server clock (two
   * tokens in the same µs, a clock stepped back), until the clock has passed it: after that the
   * clock alone issues a larger token, so under a clock that does not step back tokens strictly
   * increase and a released key leaves nothing in Redis. The 2 ms cover rounding µs to ms and
   * Redis' ms expiry precision.
   */
  private static final String FENCE_EXPIRY =
      """
      local function now_micros()
        local now = redis.call('time')
        return tonumber(now[1]) * 1000000 + tonumber(now[2])
      end
      local function fence_expiry(hold, retention, token, micros)
        if retention > 0 then
          return hold + retention
        end
        return hold + math.floor(math.max(token - micros, 0) / 1000) + 2
      end
      """;

  final String source;
  final String sha1;

  RedisScripts(String source) {
    this.source = source;
    this.sha1 = sha1(source);
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by every JRE", e);
    }
  }
}

package dev.concurrencysafe.internal;

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
   * strictly increasing per key (see {@link GrantLua#FENCE_EXPIRY} for how long the counter is
   * kept). Idempotent: the client may resend it after a timeout, and a resend by the owner that
   * already took the key returns that same token.
   */
  ACQUIRE(
      GrantLua.script()
          .then(
              """
              local holder = redis.call('get', KEYS[1])
              if holder == ARGV[1] then
                return tonumber(redis.call('get', KEYS[2]) or '1')
              end
              if holder then
                return -1 - math.max(redis.call('pttl', KEYS[1]), 0)
              end
              redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return issue_token(tonumber(ARGV[2]), tonumber(ARGV[3]))
              """,
              GrantLua.ISSUE_TOKEN)),

  /** ARGV: owner, ttl ms, fencing retention ms. Returns 1 if still owned (expiry reset), else 0. */
  RENEW(
      GrantLua.script()
          .then(
              """
              if redis.call('get', KEYS[1]) == ARGV[1] then
                claim(tonumber(ARGV[2]), tonumber(ARGV[3]))
                return 1
              end
              return 0
              """,
              GrantLua.CLAIM)),

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
      GrantLua.script()
          .then(
              """
              if redis.call('get', KEYS[1]) ~= ARGV[1] then
                return 0
              end
              local keep, retention = tonumber(ARGV[2]), tonumber(ARGV[4])
              if keep == 0 then
                redis.call('del', KEYS[1])
                drop_fence(retention)
                redis.call('publish', ARGV[3], ARGV[5])
                return 1
              end
              """,
              GrantLua.DROP_FENCE)
          .then(
              """
              cool_down(ARGV[1], keep, retention)
              return 1
              """,
              GrantLua.COOL_DOWN));

  final String source;
  final String sha1;

  RedisScripts(GrantLua.Source source) {
    this.source = source.text();
    this.sha1 = source.sha1();
  }
}

package dev.concurrencysafe.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The grant-on-release lock protocol (docs/fleet-protocol.md): waiters register in a FIFO queue
 * kept next to the lock, and a release hands the key straight to the first live waiter and notifies
 * only that waiter's node, on a channel of its own in the key's hash slot. Nothing is published
 * when nobody waits.
 *
 * <p>Every script takes the same four KEYS, all with the hash tag of the lock ({@link
 * GrantLayout#keys}): the lock {@code {K}} (a string: the holder's owner token, as in {@link
 * RedisScripts}, so scripts of both protocols agree on who holds the key), its fencing counter
 * {@code {K}:fence} (same semantics), the queue {@code {K}:queue} (a sorted set: owner by arrival
 * number) and the waiters {@code {K}:waiters} (a hash: owner to {@code "liveUntil deadline ttl mode
 * channel"}, times in server ms by {@code TIME}). A waiter is live until {@code liveUntil}, which
 * each call of its node pushes to {@code min(now + lease, deadline)}; dead entries are dropped when
 * they reach the head. A grant sets the lock to the waiter's owner token for a short claim time
 * only; the waiter's node extends it to the full ttl with {@link #CLAIM} (or {@link #ACQUIRE}),
 * else it expires and the next call of any waiter hands the key on.
 *
 * <p>Thread-safety: immutable.
 */
enum GrantProtocol {

  /**
   * Takes the key, or queues behind it. ARGV: owner, ttl ms, fencing retention ms, wait ms (&le; 0:
   * do not queue, and leave the queue if there), lease ms, claim ms, publish mode ({@code s}:
   * SPUBLISH, {@code p}: PUBLISH), grant channel. Returns the fencing token (&gt; 0) if the caller
   * holds the key now (taken, or granted earlier: then the grant is claimed for the full ttl), or
   * -1 - the holder's remaining ttl in ms. A free key is taken only when no live waiter is ahead;
   * otherwise it is granted to the first live waiter (so every waiter's call also recovers a grant
   * that expired unclaimed). Idempotent for a resend, as {@link RedisScripts#ACQUIRE} is.
   */
  ACQUIRE(
      GrantProtocol.COMMON
          + """
      local owner, ttl, retention = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
      local now = now_ms()
      local holder = redis.call('get', KEYS[1])
      if holder == owner then
        return claim(owner, ttl, retention)
      end
      if not holder then
        local head = first_live(now)
        if not head or head == owner then
          redis.call('set', KEYS[1], owner, 'PX', ttl)
          if head then
            forget(owner)
          end
          return issue_token(ttl, retention)
        end
        grant(now, tonumber(ARGV[6]), retention)
      end
      if tonumber(ARGV[4]) > 0 then
        enqueue(owner, now, tonumber(ARGV[4]), tonumber(ARGV[5]), ttl, ARGV[7], ARGV[8])
      else
        forget(owner)
      end
      return -1 - math.max(redis.call('pttl', KEYS[1]), 0)
      """),

  /**
   * A node's heartbeat for its waiters of one key. ARGV: lease ms, claim ms, fencing retention ms,
   * then the owners. Pushes each queued owner's {@code liveUntil} and hands a free key on. Returns
   * one status per owner: 1 still queued, 2 holds the key (a grant whose message may have been
   * lost: claim it), 0 neither (gone: its deadline passed or its grant expired); then the server
   * time in ms, from which a node can tell how old a grant message is.
   */
  REFRESH(
      GrantProtocol.COMMON
          + """
      local lease, retention = tonumber(ARGV[1]), tonumber(ARGV[3])
      local now = now_ms()
      if not redis.call('get', KEYS[1]) then
        grant(now, tonumber(ARGV[2]), retention)
      end
      local holder = redis.call('get', KEYS[1])
      local status = {}
      for i = 4, #ARGV do
        local entry = redis.call('hget', KEYS[4], ARGV[i])
        if holder == ARGV[i] then
          status[#status + 1] = 2
        elseif entry and redis.call('zscore', KEYS[3], ARGV[i]) then
          local _, deadline, ttl, mode, channel = parse(entry)
          local live = math.min(now + lease, deadline)
          if live > now then
            redis.call('hset', KEYS[4], ARGV[i], entry_of(live, deadline, ttl, mode, channel))
            keep_queue(live - now)
            status[#status + 1] = 1
          else
            forget(ARGV[i])
            status[#status + 1] = 0
          end
        else
          status[#status + 1] = 0
        end
      end
      status[#status + 1] = now
      return status
      """),

  /**
   * Makes a grant the caller's for the full ttl. ARGV: owner, ttl ms, fencing retention ms. Returns
   * the fencing token if the caller holds the key, else 0 (the grant expired unclaimed).
   */
  CLAIM(
      GrantProtocol.COMMON
          + """
      if redis.call('get', KEYS[1]) == ARGV[1] then
        return claim(ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]))
      end
      return 0
      """),

  /**
   * Releases the key and hands it to the first live waiter. ARGV: owner, keep ms (cooldown left),
   * fencing retention ms, claim ms. With keep &gt; 0 the key stays held as {@link
   * RedisScripts#RELEASE} keeps it (waiters stay queued; the first call after the cooldown hands it
   * on). Returns 2 if handed to a waiter, 1 if released otherwise, 0 if not owned (nothing
   * touched).
   */
  RELEASE(
      GrantProtocol.COMMON
          + """
      if redis.call('get', KEYS[1]) ~= ARGV[1] then
        return 0
      end
      local keep, retention = tonumber(ARGV[2]), tonumber(ARGV[3])
      if keep > 0 then
        redis.call('set', KEYS[1], 'cooldown:' .. ARGV[1], 'PX', keep)
        local token = tonumber(redis.call('get', KEYS[2]) or '0')
        redis.call('pexpire', KEYS[2], fence_expiry(keep, retention, token, now_micros()))
        return 1
      end
      return free_or_grant(now_ms(), tonumber(ARGV[4]), retention)
      """),

  /**
   * A waiter gives up (timeout, cancellation). ARGV: owner, fencing retention ms, claim ms. Removes
   * its entry; if it had been granted the key meanwhile, hands the key on as {@link #RELEASE} does.
   * Returns 2 if it held a grant (now passed on), else 1.
   */
  CANCEL(
      GrantProtocol.COMMON
          + """
      local now = now_ms()
      forget(ARGV[1])
      local holder = redis.call('get', KEYS[1])
      if holder == ARGV[1] then
        free_or_grant(now, tonumber(ARGV[3]), tonumber(ARGV[2]))
        return 2
      end
      if not holder then
        grant(now, tonumber(ARGV[3]), tonumber(ARGV[2]))
      end
      return 1
      """);

  /**
   * The functions every script shares. Times are the server's ({@code TIME}, read once per script:
   * one instant for every decision of the script), never a client's. Fencing ({@code issue_token},
   * {@code fence_expiry}) is {@link RedisScripts}' rule unchanged: a token is max(last + 1, server
   * µs), and the counter lives as long as the lock (plus the retention) or until the clock passed
   * it. Queue keys expire with their longest-lived entry, so waiters that die leave nothing behind.
   */
  private static final String COMMON =
      """
      local clock
      local function now_micros()
        if not clock then
          local now = redis.call('time')
          clock = tonumber(now[1]) * 1000000 + tonumber(now[2])
        end
        return clock
      end
      local function now_ms()
        return math.floor(now_micros() / 1000)
      end
      local function fence_expiry(hold, retention, token, micros)
        if retention > 0 then
          return hold + retention
        end
        return hold + math.floor(math.max(token - micros, 0) / 1000) + 2
      end
      local function issue_token(hold, retention)
        local micros = now_micros()
        local last = tonumber(redis.call('get', KEYS[2]) or '0')
        local token = math.max(last + 1, micros)
        redis.call('set', KEYS[2], string.format('%.0f', token), 'PX',
            fence_expiry(hold, retention, token, micros))
        return token
      end
      local function claim(owner, ttl, retention)
        redis.call('pexpire', KEYS[1], ttl)
        local token = tonumber(redis.call('get', KEYS[2]) or '1')
        redis.call('pexpire', KEYS[2], fence_expiry(ttl, retention, token, now_micros()))
        return token
      end
      local function parse(entry)
        local live, deadline, ttl, mode, channel =
            string.match(entry, '^(%d+) (%d+) (%d+) (%a) (.*)$')
        return tonumber(live), tonumber(deadline), tonumber(ttl), mode, channel
      end
      local function entry_of(live, deadline, ttl, mode, channel)
        return string.format('%.0f %.0f %.0f %s %s', live, deadline, ttl, mode, channel)
      end
      local function keep_queue(ms)
        for i = 3, 4 do
          if redis.call('pttl', KEYS[i]) < ms then
            redis.call('pexpire', KEYS[i], ms)
          end
        end
      end
      local function forget(owner)
        if redis.call('zrem', KEYS[3], owner) == 1 then
          if redis.call('zcard', KEYS[3]) == 0 then
            redis.call('del', KEYS[3], KEYS[4])
          else
            redis.call('hdel', KEYS[4], owner)
          end
        end
      end
      local function first_live(now)
        while true do
          local head = redis.call('zrange', KEYS[3], 0, 0)[1]
          if not head then
            return nil
          end
          local entry = redis.call('hget', KEYS[4], head)
          if entry then
            local live, _, ttl, mode, channel = parse(entry)
            if live > now then
              return head, ttl, mode, channel
            end
          end
          forget(head)
        end
      end
      local function grant(now, claim_ms, retention)
        local head, ttl, mode, channel = first_live(now)
        if not head then
          return false
        end
        local hold = math.min(claim_ms, ttl)
        redis.call('set', KEYS[1], head, 'PX', hold)
        local message = head .. ' ' .. string.format('%.0f', issue_token(hold, retention)) .. ' '
            .. string.format('%.0f', now)
        forget(head)
        -- pcall: a channel the server refuses (no SPUBLISH on 6.2, another slot) must not fail the
        -- release after it wrote; the grantee's next beat finds the grant anyway
        redis.pcall(mode == 's' and 'spublish' or 'publish', channel, message)
        return true
      end
      local function free_or_grant(now, claim_ms, retention)
        redis.call('del', KEYS[1])
        if grant(now, claim_ms, retention) then
          return 2
        end
        if retention == 0 then
          local token = tonumber(redis.call('get', KEYS[2]) or '0')
          local micros = now_micros()
          if token < micros then
            redis.call('del', KEYS[2])
          else
            redis.call('pexpire', KEYS[2], fence_expiry(0, 0, token, micros))
          end
        end
        return 1
      end
      local function enqueue(owner, now, wait, lease, ttl, mode, channel)
        local deadline = now + wait
        if redis.call('zscore', KEYS[3], owner) then
          local _, stored = parse(redis.call('hget', KEYS[4], owner) or '0 0 0 p ')
          deadline = stored
        else
          local last = redis.call('zrange', KEYS[3], -1, -1, 'withscores')[2]
          redis.call('zadd', KEYS[3], tonumber(last or '0') + 1, owner)
        end
        local live = math.min(now + lease, deadline)
        if live <= now then
          forget(owner)
          return
        end
        redis.call('hset', KEYS[4], owner, entry_of(live, deadline, ttl, mode, channel))
        keep_queue(live - now)
      end
      """;

  final String source;
  final String sha1;

  GrantProtocol(String source) {
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

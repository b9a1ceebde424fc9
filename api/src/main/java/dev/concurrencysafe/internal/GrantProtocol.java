package dev.concurrencysafe.internal;

import static dev.concurrencysafe.internal.GrantLua.COOL_DOWN;
import static dev.concurrencysafe.internal.GrantLua.DROP_FENCE;
import static dev.concurrencysafe.internal.GrantLua.ENQUEUE;
import static dev.concurrencysafe.internal.GrantLua.FREE_OR_GRANT;
import static dev.concurrencysafe.internal.GrantLua.GRANT;
import static dev.concurrencysafe.internal.GrantLua.ISSUE_TOKEN;
import static dev.concurrencysafe.internal.GrantLua.NOW_MS;
import static dev.concurrencysafe.internal.GrantLua.PARSE;
import static dev.concurrencysafe.internal.GrantLua.STORE_ENTRY;

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
 * mark channel"}, times in server ms by {@code TIME}; {@code mark} is what the waiter's node sent
 * with its last call, echoed in its grant message). A waiter is live until {@code liveUntil}, which
 * each call of its node pushes to {@code min(now + lease, deadline)}; dead entries are dropped when
 * they reach the head. A grant sets the lock to the waiter's owner token for a short claim time
 * only; the waiter's node extends it to the full ttl with {@link #CLAIM} (or {@link #ACQUIRE}),
 * else it expires and the next call of any waiter hands the key on.
 *
 * <p>Each script holds only the Lua functions it calls ({@link GrantLua}); ACQUIRE and RELEASE
 * return on an uncontended key before the queue's functions are even defined.
 *
 * <p>Thread-safety: immutable.
 */
enum GrantProtocol {

  /**
   * Takes the key, or queues behind it. ARGV: owner, ttl ms, fencing retention ms, wait ms (&le; 0:
   * do not queue, and leave the queue if there), lease ms, claim ms, publish mode ({@code s}:
   * SPUBLISH, {@code p}: PUBLISH), grant channel, and optionally a mark without spaces (stored with
   * the entry, replaced by each call, and echoed in the grant message: the engine sends the instant
   * it sent the call, which proves the grant came later). Returns the fencing token (&gt; 0) if the
   * caller holds the key now (taken, or granted earlier: then the grant is claimed for the full
   * ttl), or -1 - the holder's remaining ttl in ms. A free key is taken only when no live waiter is
   * ahead; otherwise it is granted to the first live waiter (so every waiter's call also recovers a
   * grant that expired unclaimed). Idempotent for a resend, as {@link RedisScripts#ACQUIRE} is.
   */
  ACQUIRE(
      GrantLua.script()
          .then(
              """
              local owner, ttl, retention = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
              local holder = redis.call('get', KEYS[1])
              if not holder and redis.call('exists', KEYS[3]) == 0 then
                redis.call('set', KEYS[1], owner, 'PX', ttl)
                return issue_token(ttl, retention)
              end
              """,
              ISSUE_TOKEN)
          .then(
              """
              if holder == owner then
                return claim(ttl, retention)
              end
              local now = now_ms()
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
                enqueue(owner, now, tonumber(ARGV[4]), tonumber(ARGV[5]), ttl, ARGV[7], ARGV[8],
                    (ARGV[9] or '') ~= '' and ARGV[9] or '-')
              else
                forget(owner)
              end
              return -1 - math.max(redis.call('pttl', KEYS[1]), 0)
              """,
              GrantLua.CLAIM,
              NOW_MS,
              GRANT,
              ENQUEUE)),

  /**
   * A node's heartbeat for its waiters of one key. ARGV: lease ms, claim ms, fencing retention ms,
   * then the owners. Pushes each queued owner's {@code liveUntil} and hands a free key on. Returns
   * one status per owner: 1 still queued, 2 holds the key (a grant whose message may have been
   * lost: claim it), 0 neither (gone: its deadline passed or its grant expired); then the server
   * time in ms, from which a node can tell how old a grant message is.
   */
  REFRESH(
      GrantLua.script()
          .then(
              """
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
                  local _, deadline, ttl, mode, channel, mark = parse(entry)
                  local live = math.min(now + lease, deadline)
                  if live > now then
                    redis.call('hset', KEYS[4], ARGV[i],
                        entry_of(live, deadline, ttl, mode, channel, mark))
                    keep_queue(lease)
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
              """,
              NOW_MS,
              GRANT,
              PARSE,
              STORE_ENTRY)),

  /**
   * Makes a grant the caller's for the full ttl. ARGV: owner, ttl ms, fencing retention ms. Returns
   * the fencing token if the caller holds the key, else 0 (no grant of the caller's is live: it
   * expired unclaimed, or the message that prompted the claim was of an earlier grant).
   */
  CLAIM(
      GrantLua.script()
          .then(
              """
              if redis.call('get', KEYS[1]) == ARGV[1] then
                return claim(tonumber(ARGV[2]), tonumber(ARGV[3]))
              end
              return 0
              """,
              GrantLua.CLAIM)),

  /**
   * Releases the key and hands it to the first live waiter. ARGV: owner, keep ms (cooldown left),
   * fencing retention ms, claim ms. With keep &gt; 0 the key stays held as {@link
   * RedisScripts#RELEASE} keeps it (waiters stay queued; the first call after the cooldown hands it
   * on). Returns 2 if handed to a waiter, 1 if released otherwise, 0 if not owned (nothing
   * touched).
   */
  RELEASE(
      GrantLua.script()
          .then(
              """
              if redis.call('get', KEYS[1]) ~= ARGV[1] then
                return 0
              end
              local keep, retention = tonumber(ARGV[2]), tonumber(ARGV[3])
              if keep == 0 and redis.call('exists', KEYS[3]) == 0 then
                redis.call('del', KEYS[1])
                drop_fence(retention)
                return 1
              end
              """,
              DROP_FENCE)
          .then(
              """
              if keep > 0 then
                cool_down(ARGV[1], keep, retention)
                return 1
              end
              return free_or_grant(now_ms(), tonumber(ARGV[4]), retention)
              """,
              COOL_DOWN,
              NOW_MS,
              FREE_OR_GRANT)),

  /**
   * A waiter gives up (timeout, cancellation). ARGV: owner, fencing retention ms, claim ms. Removes
   * its entry; if it had been granted the key meanwhile, hands the key on as {@link #RELEASE} does.
   * Returns 2 if it held a grant (now passed on), else 1.
   */
  CANCEL(
      GrantLua.script()
          .then(
              """
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
              """,
              NOW_MS,
              FREE_OR_GRANT));

  final String source;
  final String sha1;

  GrantProtocol(GrantLua.Source source) {
    this.source = source.text();
    this.sha1 = source.sha1();
  }
}

package dev.concurrencysafe.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The Lua functions the scripts of both protocols ({@link RedisScripts}, {@link GrantProtocol}) are
 * made of, and the composition that gives each script only the functions it calls.
 *
 * <p>Why composed and not one shared prelude: a script's {@code local function} statements run on
 * every call, each creating a closure, so a prelude of all helpers costs every call all of them (13
 * closures per script: measured 26–60 % more server time per uncontended cycle than the current
 * scripts). A script is composed in stages ({@link Source#then}): the helpers of the first stage,
 * its code (the fast path, which usually returns), then only the helpers the later stage adds. An
 * uncontended ACQUIRE or RELEASE thus creates the two or three closures it calls and returns before
 * the queue helpers are defined.
 *
 * <p>Times are the server's ({@code TIME}, read once per script: one instant for every decision of
 * the script), never a client's. Fencing ({@code issue_token}, {@code fence_expiry}) is {@link
 * RedisScripts}' rule unchanged: a token is max(last + 1, server µs), and the counter lives as long
 * as the lock (plus the retention) or until the clock passed it. Queue keys live one lease past the
 * last call of any waiter (every entry's {@code liveUntil} is within it), and Redis deletes them
 * with their last entry, so waiters that die leave nothing behind.
 *
 * <p>Thread-safety: immutable.
 */
enum GrantLua {
  NOW(
      """
      local clock
      local function now_micros()
        if not clock then
          local now = redis.call('time')
          clock = tonumber(now[1]) * 1000000 + tonumber(now[2])
        end
        return clock
      end
      """),
  NOW_MS(
      """
      local function now_ms()
        return math.floor(now_micros() / 1000)
      end
      """,
      NOW),
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
  FENCE_EXPIRY(
      """
      local function fence_expiry(hold, retention, token, micros)
        if retention > 0 then
          return hold + retention
        end
        return hold + math.floor(math.max(token - micros, 0) / 1000) + 2
      end
      """),
  ISSUE_TOKEN(
      """
      local function issue_token(hold, retention)
        local micros = now_micros()
        local last = tonumber(redis.call('get', KEYS[2]) or '0')
        local token = math.max(last + 1, micros)
        redis.call('set', KEYS[2], string.format('%.0f', token), 'PX',
            fence_expiry(hold, retention, token, micros))
        return token
      end
      """,
      NOW, FENCE_EXPIRY),
  /** After a release nobody takes over: the counter goes, or lives until the clock passed it. */
  DROP_FENCE(
      """
      local function drop_fence(retention)
        if retention == 0 then
          local token = tonumber(redis.call('get', KEYS[2]) or '0')
          local micros = now_micros()
          if token < micros then
            redis.call('del', KEYS[2])
          else
            redis.call('pexpire', KEYS[2], fence_expiry(0, 0, token, micros))
          end
        end
      end
      """,
      NOW,
      FENCE_EXPIRY),
  /** The key stays held for keep ms under a value no owner has: a renewal cannot stretch it. */
  COOL_DOWN(
      """
      local function cool_down(owner, keep, retention)
        redis.call('set', KEYS[1], 'cooldown:' .. owner, 'PX', keep)
        local token = tonumber(redis.call('get', KEYS[2]) or '0')
        redis.call('pexpire', KEYS[2], fence_expiry(keep, retention, token, now_micros()))
      end
      """,
      NOW,
      FENCE_EXPIRY),
  CLAIM(
      """
      local function claim(ttl, retention)
        redis.call('pexpire', KEYS[1], ttl)
        local token = tonumber(redis.call('get', KEYS[2]) or '1')
        redis.call('pexpire', KEYS[2], fence_expiry(ttl, retention, token, now_micros()))
        return token
      end
      """,
      NOW,
      FENCE_EXPIRY),
  PARSE(
      """
      local function parse(entry)
        local live, deadline, ttl, mode, mark, channel =
            string.match(entry, '^(%d+) (%d+) (%d+) (%a) (%S+) (.*)$')
        if not live then -- an entry written without a mark
          live, deadline, ttl, mode, channel = string.match(entry, '^(%d+) (%d+) (%d+) (%a) (.*)$')
          mark = '-'
        end
        return tonumber(live), tonumber(deadline), tonumber(ttl), mode, channel, mark
      end
      """),
  STORE_ENTRY(
      """
      local function entry_of(live, deadline, ttl, mode, channel, mark)
        return string.format('%.0f %.0f %.0f %s %s %s', live, deadline, ttl, mode, mark, channel)
      end
      local function keep_queue(lease)
        redis.call('pexpire', KEYS[3], lease)
        redis.call('pexpire', KEYS[4], lease)
      end
      """),
  FORGET(
      """
      local function forget(owner)
        if redis.call('zrem', KEYS[3], owner) == 1 then
          redis.call('hdel', KEYS[4], owner)
        end
      end
      """),
  FIRST_LIVE(
      """
      local function first_live(now)
        while true do
          local head = redis.call('zrange', KEYS[3], 0, 0)[1]
          if not head then
            return nil
          end
          local entry = redis.call('hget', KEYS[4], head)
          if entry then
            local live, _, ttl, mode, channel, mark = parse(entry)
            if live > now then
              return head, ttl, mode, channel, mark
            end
          end
          forget(head)
        end
      end
      """,
      PARSE,
      FORGET),
  /**
   * Makes the first live waiter the owner for the claim time and tells its node; false if none. The
   * message is {@code "<owner> <fencing token> <server ms> <hold ms> <mark>"}: the key is held for
   * the owner from the grant for hold ms, and the mark is the one its node sent with its last call.
   */
  GRANT(
      """
      local function grant(now, claim_ms, retention)
        local head, ttl, mode, channel, mark = first_live(now)
        if not head then
          return false
        end
        local hold = math.min(claim_ms, ttl)
        redis.call('set', KEYS[1], head, 'PX', hold)
        local message = head .. ' ' .. string.format('%.0f', issue_token(hold, retention)) .. ' '
            .. string.format('%.0f %.0f ', now, hold) .. mark
        forget(head)
        -- pcall: a channel the server refuses (no SPUBLISH on 6.2, another slot) must not fail the
        -- release after it wrote; the grantee's next beat finds the grant anyway
        redis.pcall(mode == 's' and 'spublish' or 'publish', channel, message)
        return true
      end
      """,
      ISSUE_TOKEN, FIRST_LIVE),
  /** Frees the key and grants it to the first live waiter; else cleans up the fencing counter. */
  FREE_OR_GRANT(
      """
      local function free_or_grant(now, claim_ms, retention)
        if grant(now, claim_ms, retention) then
          return 2
        end
        redis.call('del', KEYS[1])
        drop_fence(retention)
        return 1
      end
      """,
      GRANT,
      DROP_FENCE),
  ENQUEUE(
      """
      local function enqueue(owner, now, wait, lease, ttl, mode, channel, mark)
        local deadline = now + wait
        -- NX: a new waiter (the common case) costs ZRANGE + ZADD; one already queued keeps its
        -- arrival number and its deadline
        local last = redis.call('zrange', KEYS[3], -1, -1, 'withscores')[2]
        if redis.call('zadd', KEYS[3], 'NX', tonumber(last or '0') + 1, owner) == 0 then
          local _, stored = parse(redis.call('hget', KEYS[4], owner) or '0 0 0 p - ')
          deadline = stored
        end
        local live = math.min(now + lease, deadline)
        if live <= now then
          forget(owner)
          return
        end
        redis.call('hset', KEYS[4], owner, entry_of(live, deadline, ttl, mode, channel, mark))
        keep_queue(lease)
      end
      """,
      PARSE,
      STORE_ENTRY,
      FORGET);

  private final String lua;
  // a List, not an EnumSet: an EnumSet of this enum cannot be made while its constants are built
  private final List<GrantLua> needs;

  GrantLua(String lua, GrantLua... needs) {
    this.lua = lua;
    this.needs = List.of(needs);
  }

  /** An empty script to compose stage by stage. */
  static Source script() {
    return new Source();
  }

  /**
   * A script being composed. Every function is defined before the first stage that calls it, once,
   * and in declaration order (a function's needs are declared before it).
   */
  static final class Source {
    private final Set<GrantLua> defined = EnumSet.noneOf(GrantLua.class);
    private final StringBuilder text = new StringBuilder();

    private Source() {}

    /** Appends the functions in {@code calls} (and what they call) not defined yet, then code. */
    Source then(String code, GrantLua... calls) {
      Set<GrantLua> wanted = EnumSet.noneOf(GrantLua.class);
      for (GrantLua call : calls) {
        addWithNeeds(call, wanted);
      }
      for (GrantLua function : wanted) {
        if (defined.add(function)) {
          text.append(function.lua);
        }
      }
      text.append(code);
      return this;
    }

    private static void addWithNeeds(GrantLua function, Set<GrantLua> into) {
      if (into.add(function)) {
        function.needs.forEach(need -> addWithNeeds(need, into));
      }
    }

    String text() {
      return text.toString();
    }

    /** The SHA-1 of the text, as EVALSHA names the script. */
    String sha1() {
      try {
        return HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-1").digest(text().getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-1 is required by every JRE", e);
      }
    }
  }
}

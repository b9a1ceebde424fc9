package dev.concurrencysafe.internal;

import dev.concurrencysafe.spi.StoreRefusedException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.redisson.client.RedisAuthRequiredException;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisException;
import org.redisson.client.RedisNodeNotFoundException;
import org.redisson.client.RedisReconnectedException;
import org.redisson.client.RedisTimeoutException;
import org.redisson.client.RedisWrongPasswordException;

/**
 * Tells a Redis error reply (the server answered, and refused) from a transport failure (no
 * answer), and turns the former into a {@link StoreRefusedException} carrying the reply and what to
 * do about it. Redisson reports both as {@link RedisException}; a reply is the one its decoder
 * formats as {@code <reply>. channel: ...}, and the part after that (connection ids, the command's
 * parameters) is left out of our messages.
 *
 * <p>Thread-safety: stateless.
 */
final class StoreReplies {

  private static final String DECODER_SUFFIX = ". channel: ";

  /** Fixes for the refusals a lock meets in practice, by the reply's error code. */
  private static final Map<String, String> HINTS =
      Map.of(
          "NOREPLICAS",
          "fewer replicas are connected than the server's min-replicas-to-write requires;"
              + " acquisitions fail closed until a replica is back",
          "NOPERM",
          "the Redis ACL user lacks a permission the lock needs; grant the ACL line in"
              + " docs/reliability.md (keys, the release channel, EVAL/EVALSHA)",
          "READONLY",
          "the client is connected to a read-only replica (after a failover?); connect"
              + " through Sentinel or Cluster mode, or to the master",
          "MASTERDOWN",
          "the replica serving this client lost its master; connect to the master",
          "CLUSTERDOWN",
          "the cluster cannot serve this key's slot right now",
          "OOM",
          "the server reached maxmemory and refuses writes; raise maxmemory (locks must not be"
              + " evicted)",
          "LOADING",
          "the server is loading its dataset after a restart",
          "BUSY",
          "a long-running script blocks the server");

  private StoreReplies() {}

  /**
   * {@code error} as a {@link StoreRefusedException} if it is a server's error reply, else as is.
   */
  static Throwable classify(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (!(cause instanceof RedisException) || isTransport(cause)) {
      return cause;
    }
    String message = cause.getMessage();
    if (message == null) {
      return cause;
    }
    int end = message.indexOf(DECODER_SUFFIX);
    if (end <= 0) {
      return cause;
    }
    String reply = message.substring(0, end);
    StoreRefusedException refused = new StoreRefusedException(reply, hint(reply));
    refused.setStackTrace(cause.getStackTrace());
    return refused;
  }

  /**
   * The fix for a refusal. Looked up anywhere in the reply: Redis 6.2 reports a refusal met inside
   * a script as {@code ERR Error running script ... -NOREPLICAS ...}, Redis 7 and Valkey up front.
   */
  private static String hint(String reply) {
    for (Map.Entry<String, String> known : HINTS.entrySet()) {
      if (reply.startsWith(known.getKey())
          || reply.contains("-" + known.getKey() + " ")
          || reply.contains(" " + known.getKey() + " ")) {
        return known.getValue();
      }
    }
    return "";
  }

  /**
   * Whether {@code error} means no connection or no answer (Redisson's connection and timeout
   * errors, I/O errors), unless the server answered the connection with an authentication error:
   * that is a refusal, like NOPERM or READONLY. The two Redisson classifications live here
   * together.
   */
  static boolean isUnreachable(Throwable error) {
    boolean unreachable = false;
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof RedisWrongPasswordException || t instanceof RedisAuthRequiredException) {
        return false;
      }
      unreachable |=
          t instanceof RedisConnectionException
              || t instanceof RedisTimeoutException
              || t instanceof RedisNodeNotFoundException
              || t instanceof java.io.IOException
              || t instanceof java.util.concurrent.TimeoutException;
      if (t.getCause() == t) {
        break;
      }
    }
    return unreachable;
  }

  private static boolean isTransport(Throwable error) {
    return error instanceof RedisConnectionException
        || error instanceof RedisTimeoutException
        || error instanceof RedisReconnectedException
        || error instanceof RedisNodeNotFoundException;
  }
}

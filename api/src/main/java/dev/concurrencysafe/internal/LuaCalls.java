package dev.concurrencysafe.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RScript;

/**
 * Runs the backend's Lua scripts: EVALSHA, and EVAL once when the server does not have the script
 * (a restart or failover flushed its cache). Failures are classified by {@link StoreReplies}.
 *
 * <p>Thread-safety: thread-safe.
 */
final class LuaCalls {

  private final RScript script;

  LuaCalls(RScript script) {
    this.script = script;
  }

  /** One script call: the script's SHA-1 and text, its KEYS and its ARGV. */
  record Call(String sha1, String source, List<Object> keys, Object... args) {}

  /** A call of a script that returns an integer. */
  CompletionStage<Long> eval(Call call) {
    return eval(call.sha1(), call.source(), RScript.ReturnType.LONG, call.keys(), call.args());
  }

  <T> CompletionStage<T> eval(
      String sha1, String source, RScript.ReturnType type, List<Object> keys, Object... args) {
    CompletableFuture<T> result = new CompletableFuture<>();
    script
        .<T>evalShaAsync(RScript.Mode.READ_WRITE, sha1, type, keys, args)
        .whenComplete(
            (reply, error) -> {
              if (error == null) {
                result.complete(reply);
              } else if (isNoScript(error)) {
                script
                    .<T>evalAsync(RScript.Mode.READ_WRITE, source, type, keys, args)
                    .whenComplete(
                        (retried, retryError) -> {
                          if (retryError == null) {
                            result.complete(retried);
                          } else {
                            result.completeExceptionally(StoreReplies.classify(retryError));
                          }
                        });
              } else {
                result.completeExceptionally(StoreReplies.classify(error));
              }
            });
    return result;
  }

  private static boolean isNoScript(@Nullable Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("NOSCRIPT")) {
        return true;
      }
    }
    return false;
  }
}

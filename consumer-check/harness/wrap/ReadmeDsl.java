package readme;

import dev.concurrencysafe.*;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.redisson.api.RedissonClient;

/** The README's DSL block: its declarations as members, its statements as the body of run(). */
class ReadmeDsl {

//README-DECLARATIONS

  /** What the block's calls did, in order. */
  final List<String> calls = new CopyOnWriteArrayList<>();

  void purchase(String userId, String ticketId) {
    calls.add("purchase " + userId + " " + ticketId);
  }

  void refresh(String userId) {
    calls.add("refresh " + userId);
  }

  void cleanup() {
    calls.add("cleanup");
  }

  @SuppressWarnings("unused")
  void run(RedissonClient redissonClient, String userId, String ticketId) {
//README-STATEMENTS
  }
}

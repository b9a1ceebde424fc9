package dev.concurrencysafe.benchmarks.http;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.examples.shop.PaymentGateway;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The floors of the HTTP benchmark, served beside the shop's {@code POST /purchases} in the same
 * JVM: the same form, the same payment call and the same response, guarded by nothing ({@code
 * none}), preceded by two Redisson GETs ({@code gets}), guarded by a raw Redisson {@code RLock}
 * tryLock/unlock ({@code rlock}) or by the DSL ({@code dsl}). The last three share one Redisson
 * client, so the lock's cost is read against what the same client spends on plain round trips.
 * Only the benchmark serves this class; it is compiled by {@code benchmarks/http-run}.
 *
 * <p>Thread-safety: stateless per request; the client and manager are thread-safe.
 */
@Path("/floor")
@ApplicationScoped
public class LockFloors {

  private static final Duration TTL = Duration.ofSeconds(10);

  private final AtomicLong orders = new AtomicLong();
  private final RedissonClient client;
  private final LockManager manager;

  @Inject
  PaymentGateway payments;

  public LockFloors() {
    Config config = new Config();
    config.useSingleServer().setAddress(System.getProperty("concurrency-safe.redis.address",
        "redis://127.0.0.1:6379"));
    client = Redisson.create(config);
    manager = LockManager.redisson(client);
  }

  @POST
  @Path("/{variant}")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_PLAIN)
  public Response purchase(@PathParam("variant") String variant,
      @FormParam("userId") String userId, @FormParam("ticketId") String ticketId)
      throws InterruptedException {
    if (userId == null || userId.isBlank() || ticketId == null || ticketId.isBlank()) {
      return Response.status(Response.Status.BAD_REQUEST)
          .entity("form fields userId and ticketId are required").build();
    }
    String key = "floor:purchase:" + userId + ":" + ticketId;
    switch (variant) {
      case "none" -> {
        return created(body(userId, ticketId), userId, ticketId);
      }
      case "gets" -> {
        client.getBucket(key + ":a").get();
        client.getBucket(key + ":b").get();
        return created(body(userId, ticketId), userId, ticketId);
      }
      case "rlock" -> {
        RLock lock = client.getLock(key);
        if (!lock.tryLock(0, TTL.toMillis(), TimeUnit.MILLISECONDS)) {
          return Response.status(Response.Status.CONFLICT).entity("busy").build();
        }
        try {
          return created(body(userId, ticketId), userId, ticketId);
        } finally {
          lock.unlock();
        }
      }
      case "dsl" -> {
        try {
          long order = manager.with(key).ttl(TTL).call(() -> body(userId, ticketId));
          return created(order, userId, ticketId);
        } catch (ConcurrencyException busy) {
          return Response.status(Response.Status.CONFLICT).entity("busy").build();
        }
      }
      default -> {
        return Response.status(Response.Status.NOT_FOUND)
            .entity("unknown variant '" + variant + "'; expected none, gets, rlock or dsl")
            .build();
      }
    }
  }

  private long body(String userId, String ticketId) {
    payments.charge(userId, ticketId);
    return orders.incrementAndGet();
  }

  private static Response created(long order, String userId, String ticketId) {
    return Response.created(URI.create("/purchases/" + order))
        .entity("order " + order + ": ticket " + ticketId + " for user " + userId).build();
  }

  @PreDestroy
  void close() {
    manager.close();
    client.shutdown();
  }
}

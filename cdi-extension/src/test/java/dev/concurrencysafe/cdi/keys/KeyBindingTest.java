package dev.concurrencysafe.cdi.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.cdi.testing.Redis;
import dev.concurrencysafe.cdi.testing.TestContainer;
import dev.concurrencysafe.testing.RedisExtension;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Placeholders through getters, boolean getters and record accessors; nulls named clearly. */
class KeyBindingTest {

  static volatile Supplier<Boolean> probe = () -> false;
  @RegisterExtension static final RedisExtension redis = RedisExtension.emptiedBeforeEach();
  private TestContainer container;

  public enum Tier {
    GOLD,
    SILVER
  }

  public static class Customer {
    private final String region;
    private final boolean vip;

    public Customer(String region, boolean vip) {
      this.region = region;
      this.vip = vip;
    }

    public String getRegion() {
      return region;
    }

    public boolean isVip() {
      return vip;
    }
  }

  public record Order(Customer customer, Tier tier) {}

  @ApplicationScoped
  public static class Orders {
    @ConcurrencySafe(key = "lock:order:{order.customer.region}:{order.customer.vip}:{order.tier}")
    public boolean place(Order order) {
      return probe.get();
    }

    @ConcurrencySafe
    public boolean nightly() {
      return probe.get();
    }
  }

  @BeforeEach
  void start() {
    container =
        TestContainer.start(Map.of("concurrency-safe.redis.address", redis.uri()), Orders.class);
  }

  @AfterEach
  void stop() {
    container.close();
  }

  @Test
  void gettersBooleanGettersRecordAccessorsAndEnums() {
    probe = () -> Redis.exists(redis.server(), "{lock:order:eu+west:true:GOLD}");
    assertTrue(
        container.bean(Orders.class).place(new Order(new Customer("eu west", true), Tier.GOLD)));
  }

  @Test
  void emptyKeyLocksTheMethod() {
    probe = () -> Redis.exists(redis.server(), "{" + Orders.class.getName() + "#nightly}");
    assertTrue(container.bean(Orders.class).nightly());
  }

  @Test
  void nullsAreNamed() {
    Orders orders = container.bean(Orders.class);
    IllegalArgumentException inPath =
        assertThrows(
            IllegalArgumentException.class, () -> orders.place(new Order(null, Tier.GOLD)));
    assertTrue(inPath.getMessage().contains("order.customer was null"), inPath.getMessage());
    IllegalArgumentException root =
        assertThrows(IllegalArgumentException.class, () -> orders.place(null));
    assertTrue(root.getMessage().contains("{order.customer.region}"), root.getMessage());
    assertEquals(0, redis.keyCount(), "nothing locked for a call that could not form its key");
  }
}

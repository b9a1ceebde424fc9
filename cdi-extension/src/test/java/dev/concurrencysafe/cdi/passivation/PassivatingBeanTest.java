package dev.concurrencysafe.cdi.passivation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.cdi.internal.ConcurrencySafeInterceptor;
import dev.concurrencysafe.cdi.testing.TestContainer;
import dev.concurrencysafe.testing.RedisServer;
import jakarta.enterprise.context.SessionScoped;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jboss.weld.context.bound.BoundSessionContext;
import org.junit.jupiter.api.Test;

/**
 * A passivating (session-scoped) bean can use @ConcurrencySafe: the interceptor is serializable.
 */
class PassivatingBeanTest {

  @SessionScoped
  public static class Cart implements Serializable {
    private static final long serialVersionUID = 1L;

    @ConcurrencySafe(key = "lock:checkout:{cartId}")
    public String checkout(String cartId) {
      return "checked out " + cartId;
    }
  }

  @Test
  void sessionScopedBeanDeploysAndItsInterceptorSurvivesSerialization() throws Exception {
    try (RedisServer redis = RedisServer.start();
        TestContainer container =
            TestContainer.start(
                Map.of("concurrency-safe.redis.address", redis.uri()), Cart.class)) {
      BoundSessionContext session = container.weld().select(BoundSessionContext.class).get();
      Map<String, Object> storage = new java.util.HashMap<>();
      session.associate(storage);
      session.activate();
      try {
        Cart cart = container.bean(Cart.class);
        assertEquals("checked out 1", cart.checkout("1"));
        // the bean instance with its interceptor chain, as a session store would passivate it
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
          out.writeObject(new java.util.HashMap<>(storage));
        }
        assertTrue(
            new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1)
                .contains(ConcurrencySafeInterceptor.class.getName()),
            "the interceptor was passivated too");
        Object restored;
        try (ObjectInputStream in =
            new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
          restored = in.readObject();
        }
        assertNotNull(restored);
        assertEquals("checked out 2", cart.checkout("2"));
      } finally {
        session.invalidate();
        session.deactivate();
        session.dissociate(storage);
      }
    }
  }
}

package dev.concurrencysafe.examples.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.concurrencysafe.LockEvent;
import dev.concurrencysafe.LockListener;
import dev.concurrencysafe.cdi.ConcurrencySafe;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InterceptorBinding;
import jakarta.interceptor.InvocationContext;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code concurrency-safe.interceptor-priority} on ArC, which compiles priorities in at build time:
 * set to 2000, below an application interceptor's 3000 (the default, 4005, is above it), the lock
 * is acquired before the application interceptor runs.
 */
class InterceptorPriorityAppTest {

  /** What happened, in order, inside the application. */
  static final List<String> STEPS = new CopyOnWriteArrayList<>();

  @InterceptorBinding
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.TYPE, ElementType.METHOD})
  public @interface Audited {}

  @Audited
  @Interceptor
  @Priority(3000)
  public static class AuditInterceptor {
    @AroundInvoke
    public Object audit(InvocationContext ctx) throws Exception {
      STEPS.add("audit");
      return ctx.proceed();
    }
  }

  @Alternative
  @ApplicationScoped
  public static class StepListener implements LockListener {
    @Override
    public void onEvent(LockEvent event) {
      if (event.type() == LockEvent.Type.ACQUIRED) {
        STEPS.add("lock acquired");
      }
    }
  }

  @Alternative
  @ApplicationScoped
  public static class Jobs {
    @Audited
    @ConcurrencySafe(key = "lock:job:{id}")
    public String run(String id) {
      STEPS.add("body");
      return "ran " + id;
    }
  }

  @RegisterExtension
  static final QuarkusUnitTest APP =
      UnitApps.withoutTheShop()
          .withApplicationRoot(
              jar ->
                  jar.addClasses(
                      UnitApps.class,
                      Audited.class,
                      AuditInterceptor.class,
                      StepListener.class,
                      Jobs.class,
                      AppRedis.class))
          .overrideConfigKey(
              "quarkus.arc.selected-alternatives",
              Jobs.class.getName() + "," + StepListener.class.getName())
          .overrideConfigKey("concurrency-safe.interceptor-priority", "2000")
          .overrideRuntimeConfigKey("concurrency-safe.redis.address", "${" + AppRedis.ADDRESS + "}")
          .setBeforeAllCustomizer(AppRedis::start)
          .setAfterAllCustomizer(AppRedis::stop);

  @Inject Jobs jobs;

  @Test
  void theConfiguredPriorityPutsTheLockOutsideTheApplicationInterceptor() {
    STEPS.clear();
    assertEquals("ran 1", jobs.run("1"));
    assertEquals(List.of("lock acquired", "audit", "body"), STEPS);
  }
}

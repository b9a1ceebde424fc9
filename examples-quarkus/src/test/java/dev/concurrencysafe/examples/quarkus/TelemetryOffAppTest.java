package dev.concurrencysafe.examples.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import dev.concurrencysafe.testing.Await;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The MicroProfile Config opt-out: with {@code concurrency-safe.telemetry.enabled=false} the
 * application still traces (quarkus-opentelemetry, the body's own spans) but a lock call makes no
 * span, so the body's span is the direct child of the caller's.
 */
class TelemetryOffAppTest {

  @Alternative
  @ApplicationScoped
  public static class Jobs {
    @Inject Tracer tracer;

    @ConcurrencySafe(key = "lock:job:{id}")
    public String run(String id) {
      tracer.spanBuilder("job body").startSpan().end();
      return "ran " + id;
    }
  }

  @RegisterExtension
  static final QuarkusUnitTest APP =
      UnitApps.withoutTheShop()
          .withApplicationRoot(
              jar ->
                  jar.addClasses(UnitApps.class, Jobs.class, AppRedis.class, InMemorySpans.class))
          .overrideConfigKey("quarkus.arc.selected-alternatives", Jobs.class.getName())
          .overrideConfigKey("quarkus.otel.bsp.schedule.delay", "100ms")
          .overrideRuntimeConfigKey("concurrency-safe.redis.address", "${" + AppRedis.ADDRESS + "}")
          .overrideRuntimeConfigKey("concurrency-safe.telemetry.enabled", "false")
          .setBeforeAllCustomizer(AppRedis::start)
          .setAfterAllCustomizer(AppRedis::stop);

  @Inject Jobs jobs;
  @Inject Tracer tracer;
  @Inject InMemorySpanExporter spans;

  @Test
  void aLockCallMakesNoSpanAndTheBodysSpanHangsFromTheCallers() {
    Span request = tracer.spanBuilder("request").startSpan();
    try (Scope ignored = request.makeCurrent()) {
      assertEquals("ran 1", jobs.run("1"));
    } finally {
      request.end();
    }
    Await.until(
        "the request's and the body's spans exported",
        Duration.ofSeconds(20),
        () -> named("request").size() == 1 && named("job body").size() == 1);
    assertEquals(
        List.of(),
        spans.getFinishedSpanItems().stream()
            .filter(s -> s.getName().startsWith("lock "))
            .toList());
    assertEquals(
        named("request").get(0).getSpanId(),
        named("job body").get(0).getParentSpanId(),
        () -> "spans: " + spans.getFinishedSpanItems());
  }

  private List<SpanData> named(String name) {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
  }
}

package dev.concurrencysafe.examples.quarkus;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The tests' span exporter: quarkus-opentelemetry exports to every {@code SpanExporter} bean, so
 * the spans the application produced can be read back.
 *
 * <p>Thread-safety: InMemorySpanExporter is thread-safe.
 */
@ApplicationScoped
public class InMemorySpans {

  @Produces
  @Singleton
  InMemorySpanExporter exporter() {
    return InMemorySpanExporter.create();
  }
}

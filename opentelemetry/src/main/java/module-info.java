/** OpenTelemetry spans for concurrency-safe's lock calls, with an optional CDI producer. */
// opentelemetry-api and the MicroProfile Config API ship no module-info, only an
// Automatic-Module-Name
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.concurrencysafe.opentelemetry {
  requires transitive dev.concurrencysafe;
  // LockTracing takes an OpenTelemetry given by the caller
  requires transitive io.opentelemetry.api;
  requires io.opentelemetry.context;
  requires java.logging;
  // the CDI producer: only in a CDI container, which supplies these
  requires static jakarta.cdi;
  requires static org.eclipse.microprofile.config;
  requires static org.jspecify;

  exports dev.concurrencysafe.opentelemetry;
  exports dev.concurrencysafe.opentelemetry.cdi;

  // the container instantiates the producer reflectively
  opens dev.concurrencysafe.opentelemetry.cdi;
}

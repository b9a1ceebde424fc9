/** Micrometer meters for concurrency-safe's lock events. */
// micrometer-core ships no module-info, only an Automatic-Module-Name
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.concurrencysafe.micrometer {
  requires transitive dev.concurrencysafe;
  // LockMetrics binds to a MeterRegistry given by the caller
  requires transitive micrometer.core;
  requires static org.jspecify;

  exports dev.concurrencysafe.micrometer;
}

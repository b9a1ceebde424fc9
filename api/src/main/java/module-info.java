/**
 * concurrency-safe's API and core. Only {@code dev.concurrencysafe} (the DSL) and {@code
 * dev.concurrencysafe.spi} (what users implement: a backend, a health probe) are exported to
 * everyone; {@code dev.concurrencysafe.integration} only to this library's integrations; {@code
 * dev.concurrencysafe.internal} to nobody, so on the module path no other module can reach into the
 * engine.
 */
// redisson ships no module-info, only an Automatic-Module-Name
// the integrations are automatic modules too (their Automatic-Module-Name), unknown at compile time
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic", "module"})
module dev.concurrencysafe {
  // LockManager.redisson(RedissonClient) is in the API: users need Redisson's types
  requires transitive redisson;
  // annotations only: used at compile time, not needed at run time
  requires static transitive org.jspecify;
  requires static transitive com.google.errorprone.annotations;

  exports dev.concurrencysafe;
  exports dev.concurrencysafe.spi;
  exports dev.concurrencysafe.integration to
      dev.concurrencysafe.cdi,
      dev.concurrencysafe.kotlin;
}

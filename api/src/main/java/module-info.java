/**
 * concurrency-safe's API and core. Only {@code dev.concurrencysafe} (the DSL) and {@code
 * dev.concurrencysafe.spi} (the backend SPI and what integrations share with the core) are
 * exported; {@code dev.concurrencysafe.internal} is not, so on the module path no other module can
 * reach into the engine.
 */
// redisson ships no module-info, only an Automatic-Module-Name
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.concurrencysafe {
  // LockManager.redisson(RedissonClient) is in the API: users need Redisson's types
  requires transitive redisson;
  // annotations only: used at compile time, not needed at run time
  requires static transitive org.jspecify;
  requires static transitive com.google.errorprone.annotations;

  exports dev.concurrencysafe;
  exports dev.concurrencysafe.spi;
}

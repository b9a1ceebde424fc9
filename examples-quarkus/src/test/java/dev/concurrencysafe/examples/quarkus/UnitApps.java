package dev.concurrencysafe.examples.quarkus;

import io.quarkus.test.QuarkusUnitTest;

/**
 * The QuarkusUnitTest applications of this module: only the classes each test adds, on a flat class
 * path. The shop (examples-shop and its test-jar, bean archives on the class path) is kept out, so
 * a deployment error names the test's bean alone and no shop bean is built.
 *
 * <p>QuarkusUnitTest runs the test class again inside the application, so each test adds this class
 * to the application root.
 *
 * <p>Thread-safety: stateless.
 */
final class UnitApps {

  private static final String GROUP = "dev.concurrencysafe";
  private static final String SHOP = "concurrency-safe-examples-shop";

  private UnitApps() {}

  /** A new application without the shop; the caller adds its classes and configuration. */
  static QuarkusUnitTest withoutTheShop() {
    return new QuarkusUnitTest()
        .setFlatClassPath(true)
        .overrideConfigKey("quarkus.arc.exclude-dependency.shop.group-id", GROUP)
        .overrideConfigKey("quarkus.arc.exclude-dependency.shop.artifact-id", SHOP)
        .overrideConfigKey("quarkus.arc.exclude-dependency.shop-tests.group-id", GROUP)
        .overrideConfigKey("quarkus.arc.exclude-dependency.shop-tests.artifact-id", SHOP)
        .overrideConfigKey("quarkus.arc.exclude-dependency.shop-tests.classifier", "tests");
  }
}

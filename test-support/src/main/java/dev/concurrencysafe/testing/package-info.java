/**
 * Launches real {@code redis-server} processes on free loopback ports: the binary on {@code PATH}
 * if there is one, else the one shipped inside the embedded-redis jar. Used by tests, benchmarks
 * and the demo; never by the library itself.
 */
@NullMarked
package dev.concurrencysafe.testing;

import org.jspecify.annotations.NullMarked;

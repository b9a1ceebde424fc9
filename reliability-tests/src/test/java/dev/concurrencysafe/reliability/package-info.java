/**
 * Reliability and security scenarios for concurrency-safe, run against real redis-server processes
 * (single, Sentinel, Cluster, TLS) and real child JVMs. Figures go to {@code docs/reliability.md}.
 */
@NullMarked
package dev.concurrencysafe.reliability;

import org.jspecify.annotations.NullMarked;

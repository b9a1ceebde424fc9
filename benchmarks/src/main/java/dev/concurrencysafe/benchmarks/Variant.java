package dev.concurrencysafe.benchmarks;

/**
 * One thing being timed: a lock cycle, a refused request or a bare round trip.
 *
 * <p>Thread-safety: as safe as its operation; the harness calls it from one thread.
 *
 * @param id short machine name used in the JSON (e.g. {@code "dsl"})
 * @param label what a reader sees in the tables
 * @param operation one timed call
 */
record Variant(String id, String label, Operation operation) {

  /** One timed call; may throw, which aborts the run (a benchmark must not hide failures). */
  @FunctionalInterface
  interface Operation {
    void run() throws Exception;
  }
}

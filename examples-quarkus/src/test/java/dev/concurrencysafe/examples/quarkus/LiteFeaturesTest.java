package dev.concurrencysafe.examples.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.concurrencysafe.ConcurrencyException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the build-compatible front-end gives Quarkus besides the plain case: a stereotype's binding,
 * a {@code CompletionStage} method held until its stage completes, {@code onBusy = SKIP} on a
 * {@code CompletableFuture<Optional<T>>} method, and a per-method MicroProfile Config override
 * ({@code enabled=false}).
 */
@QuarkusTest
@QuarkusTestResource(RedisResource.class)
@TestProfile(LiteFeaturesTest.PreviewUnlocked.class)
class LiteFeaturesTest {

  /** Turns {@code Reports#preview}'s lock off, as an operator would. */
  public static class PreviewUnlocked implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(Reports.class.getName() + "/preview/ConcurrencySafe/enabled", "false");
    }
  }

  @Inject Reports reports;

  @Test
  void aStereotypeBoundAsyncMethodIsHeldUntilItsStageCompletes() throws Exception {
    CompletableFuture<String> work = new CompletableFuture<>();
    Reports.WORK.put("r1", work);
    CompletableFuture<String> result = reports.generate("r1");
    assertFalse(result.isDone());

    ConcurrencyException duplicate =
        assertThrows(ConcurrencyException.class, () -> reports.generate("r1"));
    assertEquals("Report already running", duplicate.getMessage());

    work.complete("report ready");
    assertEquals("report ready", result.get(10, TimeUnit.SECONDS));
    Reports.WORK.put("r1", new CompletableFuture<>());
    CompletableFuture<String> again = reports.generate("r1");
    assertFalse(again.isDone(), "a new call runs once the stage completed");
    Reports.WORK.get("r1").complete("done");
    again.get(10, TimeUnit.SECONDS);
  }

  @Test
  void onBusySkipReturnsAnEmptyOptionalWhileTheKeyIsHeld() throws Exception {
    CompletableFuture<String> work = new CompletableFuture<>();
    Reports.WORK.put("s1", work);
    CompletableFuture<Optional<String>> running = reports.sweep("s1");
    assertFalse(running.isDone());
    assertEquals(
        Optional.empty(),
        reports.sweep("s1").get(10, TimeUnit.SECONDS),
        "skipped while the first call holds the key, no exception");
    work.complete("swept");
    assertEquals(Optional.of("swept"), running.get(10, TimeUnit.SECONDS));
  }

  @Test
  void aMethodWhoseLockConfigurationTurnedOffRunsConcurrently() throws Exception {
    CompletableFuture<String> work = new CompletableFuture<>();
    Reports.WORK.put("p1", work);
    CompletableFuture<String> first = reports.preview("p1");
    CompletableFuture<String> second = reports.preview("p1");
    work.complete("preview");
    assertEquals("preview", first.get(10, TimeUnit.SECONDS));
    assertEquals("preview", second.get(10, TimeUnit.SECONDS));
  }
}

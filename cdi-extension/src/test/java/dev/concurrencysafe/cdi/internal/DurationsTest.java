package dev.concurrencysafe.cdi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void shortFormsAndIso() {
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofSeconds(3), Durations.parse("3s"));
    assertEquals(Duration.ofSeconds(3), Durations.parse(" 3 S "));
    assertEquals(Duration.ofMinutes(10), Durations.parse("10m"));
    assertEquals(Duration.ofHours(1), Durations.parse("1h"));
    assertEquals(Duration.ofDays(2), Durations.parse("2d"));
    assertEquals(Duration.ofSeconds(3), Durations.parse("PT3S"));
    assertEquals(Duration.ofMillis(1500), Durations.parse("pt1.5s"));
  }

  @Test
  void rejectsWithTheValueAndTheExpectedForm() {
    for (String bad : new String[] {"3", "3x", "-1s", "s", "P", "PTS", "3 parsecs", "1.5s"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad));
      assertTrue(
          e.getMessage().contains("'" + bad + "'") && e.getMessage().contains("'3s'"),
          e.getMessage());
    }
  }

  @Test
  void rangeChecks() {
    assertThrows(
        IllegalArgumentException.class, () -> Durations.checkRange(Duration.ZERO, "0ms", true));
    assertEquals(Duration.ZERO, Durations.checkRange(Duration.ZERO, "0ms", false));
    assertThrows(
        IllegalArgumentException.class,
        () -> Durations.checkRange(Duration.ofSeconds(-1), "PT-1S", false));
    assertThrows(
        IllegalArgumentException.class,
        () -> Durations.checkRange(Duration.ofDays(366), "366d", false));
  }
}

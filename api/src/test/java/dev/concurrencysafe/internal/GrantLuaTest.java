package dev.concurrencysafe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** How the grant scripts are composed from {@link GrantLua}: only what each script calls. */
class GrantLuaTest {

  static final Pattern DEFINITION = Pattern.compile("local function (\\w+)\\(");

  /** The functions a script defines before {@code marker} (the whole script if absent). */
  static int definitionsBefore(GrantProtocol script, String marker) {
    int end = script.source.indexOf(marker);
    Matcher m = DEFINITION.matcher(end < 0 ? script.source : script.source.substring(0, end));
    int count = 0;
    while (m.find()) {
      count++;
    }
    return count;
  }

  @Test
  void everyFunctionIsDefinedOnceAndBeforeItIsCalled() {
    for (GrantProtocol script : GrantProtocol.values()) {
      Matcher m = DEFINITION.matcher(script.source);
      while (m.find()) {
        String name = m.group(1);
        int defined = m.start();
        assertEquals(
            defined,
            script.source.indexOf("local function " + name + "("),
            script + " defines " + name + " once");
        Matcher call = Pattern.compile("(?<!function )\\b" + name + "\\(").matcher(script.source);
        assertTrue(call.find(), script + " calls " + name + ", else it would not define it");
        assertTrue(call.start() > defined, script + " calls " + name + " after defining it");
      }
    }
  }

  @Test
  void uncontendedPathsCreateOnlyTheClosuresTheyCall() {
    String acquire = GrantProtocol.ACQUIRE.source;
    assertEquals(3, definitionsBefore(GrantProtocol.ACQUIRE, "return issue_token"));
    assertTrue(
        acquire.indexOf("return issue_token") < acquire.indexOf("local function first_live("),
        "a free key with no queue is taken before the queue's functions are defined");
    String release = GrantProtocol.RELEASE.source;
    assertEquals(3, definitionsBefore(GrantProtocol.RELEASE, "redis.call('exists', KEYS[3])"));
    assertTrue(
        release.indexOf("drop_fence(retention)\n") < release.indexOf("local function grant("),
        "a release nobody waits for returns before the grant's functions are defined");
    assertEquals(3, definitionsBefore(GrantProtocol.CLAIM, "no such marker"));
    assertFalse(GrantProtocol.CLAIM.source.contains("zrange"), "CLAIM never reads the queue");
  }
}

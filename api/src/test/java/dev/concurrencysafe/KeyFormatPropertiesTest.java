package dev.concurrencysafe;

import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class KeyFormatPropertiesTest {

  private static final LockKey PAIR =
      new LockKey() {
        @Override
        public String pattern() {
          return "lock:purchase:{userId}:{ticketId}";
        }

        @Override
        public Duration ttl() {
          return Duration.ofSeconds(1);
        }
      };

  @Provide
  Arbitrary<String> tricky() {
    Arbitrary<String> separators =
        Arbitraries.of(
                ":",
                "{",
                "}",
                "%",
                "%3A",
                "+",
                " ",
                "/",
                "\u00e9",
                "\uD83D\uDE00",
                "\u0000",
                "a",
                "1")
            .list()
            .ofMaxSize(6)
            .map(parts -> String.join("", parts));
    Arbitrary<String> unicode =
        Arbitraries.strings()
            .all()
            .ofMaxLength(8)
            .filter(
                s -> s.codePoints().noneMatch(c -> Character.getType(c) == Character.SURROGATE));
    return Arbitraries.oneOf(separators, unicode);
  }

  @Property(tries = 2000)
  boolean distinctTuplesNeverGiveTheSameKey(
      @ForAll("tricky") String a,
      @ForAll("tricky") String b,
      @ForAll("tricky") String c,
      @ForAll("tricky") String d) {
    boolean sameTuple = a.equals(c) && b.equals(d);
    boolean sameKey = PAIR.format(a, b).equals(PAIR.format(c, d));
    return sameTuple == sameKey;
  }

  @Property(tries = 1000)
  boolean noArgumentProducesABrace(@ForAll("tricky") String a, @ForAll("tricky") String b) {
    String key = PAIR.format(a, b);
    return key.indexOf('{') < 0 && key.indexOf('}') < 0;
  }
}

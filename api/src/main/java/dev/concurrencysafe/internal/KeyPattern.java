package dev.concurrencysafe.internal;

import dev.concurrencysafe.LockKey;
import dev.concurrencysafe.integration.DurationLimits;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A parsed key pattern such as {@code lock:purchase:{userId}:{ticketId}}.
 *
 * <p>Arguments are URL-encoded (UTF-8): the encoded alphabet is letters, digits, {@code . - * _ +}
 * and {@code %XX}. Since a literal between two placeholders must contain a character outside that
 * alphabet, and encoding is itself injective, a formatted key can be split back into its arguments
 * in exactly one way: distinct tuples never collide, and no argument can produce a brace, so no
 * argument chooses a Redis Cluster hash slot.
 *
 * <p>Thread-safety: immutable; the parse cache is concurrent.
 */
public final class KeyPattern {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_.]*)}");
  private static final Pattern ENCODED_ALPHABET = Pattern.compile("[A-Za-z0-9.*_+%-]*");
  private static final int CACHE_LIMIT = 4096;
  private static final Map<String, KeyPattern> CACHE = new ConcurrentHashMap<>();

  /** Object's identity toString would give a new key on every call: no exclusion at all. */
  private static final ClassValue<Boolean> HAS_OWN_TO_STRING =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
          try {
            return type.getMethod("toString").getDeclaringClass() != Object.class;
          } catch (NoSuchMethodException impossible) {
            return false;
          }
        }
      };

  private final String pattern;

  /** literals.size() == placeholders.size() + 1; literal i precedes placeholder i. */
  private final List<String> literals;

  private final List<String> placeholders;

  private KeyPattern(String pattern, List<String> literals, List<String> placeholders) {
    this.pattern = pattern;
    this.literals = List.copyOf(literals);
    this.placeholders = List.copyOf(placeholders);
  }

  /**
   * Parses (and caches) a pattern.
   *
   * @throws IllegalArgumentException naming the pattern and what is wrong
   */
  public static KeyPattern parse(@Nullable String given) {
    String pattern = Checks.notNull(given, "pattern");
    KeyPattern cached = CACHE.get(pattern);
    if (cached != null) {
      return cached;
    }
    KeyPattern parsed = parseUncached(pattern);
    if (CACHE.size() < CACHE_LIMIT) {
      CACHE.put(pattern, parsed);
    }
    return parsed;
  }

  public String pattern() {
    return pattern;
  }

  /** The placeholder names, in order. */
  public List<String> placeholders() {
    return placeholders;
  }

  /**
   * Substitutes escaped arguments for the placeholders, in order.
   *
   * @throws IllegalArgumentException on a count mismatch, a null argument, malformed Unicode or a
   *     result longer than 1 KiB
   */
  public String format(@Nullable Object... args) {
    if (args == null) {
      args = new Object[] {null};
    }
    if (args.length != placeholders.size()) {
      throw new IllegalArgumentException(
          "pattern '"
              + pattern
              + "' has "
              + placeholders.size()
              + " placeholder(s) "
              + placeholders
              + ", but "
              + args.length
              + " argument(s) were given");
    }
    StringBuilder key = new StringBuilder(pattern.length() + 16 * args.length);
    for (int i = 0; i < args.length; i++) {
      key.append(literals.get(i)).append(escape(args[i], placeholders.get(i)));
    }
    key.append(literals.get(args.length));
    String formatted = key.toString();
    if (formatted.isBlank()) {
      throw new IllegalArgumentException(
          "key formatted from pattern '"
              + pattern
              + "' must not be blank, but was '"
              + formatted
              + "'");
    }
    int bytes = formatted.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > Checks.MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "key formatted from pattern '"
              + pattern
              + "' must be at most "
              + Checks.MAX_KEY_BYTES
              + " bytes in UTF-8, but was "
              + bytes
              + " bytes");
    }
    return formatted;
  }

  private String escape(@Nullable Object arg, String placeholder) {
    if (arg == null) {
      throw new IllegalArgumentException(
          "argument for {" + placeholder + "} in pattern '" + pattern + "' must not be null");
    }
    if (arg.getClass().isArray() || !HAS_OWN_TO_STRING.get(arg.getClass())) {
      throw new IllegalArgumentException(
          "argument for {"
              + placeholder
              + "} in pattern '"
              + pattern
              + "' must have a stable text form (a String, number, enum, UUID, or a type overriding"
              + " toString), but was a "
              + arg.getClass().getName());
    }
    String text = arg instanceof Enum<?> e ? e.name() : String.valueOf(arg);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean paired =
          Character.isHighSurrogate(c)
              ? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(++i))
              : !Character.isLowSurrogate(c);
      if (!paired) {
        throw new IllegalArgumentException(
            "argument for {"
                + placeholder
                + "} in pattern '"
                + pattern
                + "' must be well-formed Unicode, but has an unpaired surrogate near index "
                + i);
      }
    }
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static KeyPattern parseUncached(String pattern) {
    if (pattern.isBlank()) {
      throw new IllegalArgumentException("pattern must not be blank, but was '" + pattern + "'");
    }
    if (pattern.getBytes(StandardCharsets.UTF_8).length > Checks.MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "pattern must be at most "
              + Checks.MAX_KEY_BYTES
              + " bytes in UTF-8, but was '"
              + Checks.abbreviate(pattern)
              + "'");
    }
    List<String> literals = new ArrayList<>();
    List<String> placeholders = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(pattern);
    int last = 0;
    while (m.find()) {
      literals.add(pattern.substring(last, m.start()));
      placeholders.add(m.group(1));
      last = m.end();
    }
    literals.add(pattern.substring(last));
    for (String literal : literals) {
      int brace = Math.max(literal.indexOf('{'), literal.indexOf('}'));
      if (brace >= 0) {
        throw new IllegalArgumentException(
            "pattern '"
                + pattern
                + "' has a brace that is not part of"
                + " a placeholder {name} (name: letters, digits, '_' and '.'), near '"
                + literal
                + "'");
      }
    }
    for (int i = 1; i < placeholders.size(); i++) {
      if (ENCODED_ALPHABET.matcher(literals.get(i)).matches()) {
        throw new IllegalArgumentException(
            "pattern '"
                + pattern
                + "' must separate {"
                + placeholders.get(i - 1)
                + "} and {"
                + placeholders.get(i)
                + "} by a literal containing a"
                + " character such as ':' or '/', but was '"
                + literals.get(i)
                + "'");
      }
    }
    Map<String, Integer> seen = new HashMap<>();
    for (String name : placeholders) {
      if (seen.merge(name, 1, Integer::sum) > 1) {
        throw new IllegalArgumentException(
            "pattern '" + pattern + "' uses placeholder {" + name + "} more than once");
      }
    }
    return new KeyPattern(pattern, literals, placeholders);
  }

  /** See {@link LockKey#validateCatalog(Class)}. */
  public static <E extends Enum<E> & LockKey> void validateCatalog(@Nullable Class<E> given) {
    Class<E> catalog = Checks.notNull(given, "catalog");
    E[] constants = catalog.getEnumConstants();
    List<String> problems = new ArrayList<>();
    Map<String, String> byPattern = new HashMap<>();
    for (E constant : constants) {
      String where = catalog.getSimpleName() + "." + constant.name();
      String pattern = constant.pattern();
      try {
        String shape = String.join("{}", parse(pattern).literals);
        String previous = byPattern.putIfAbsent(shape, where);
        if (previous != null) {
          problems.add(where + ": pattern '" + pattern + "' gives the same keys as " + previous);
        }
      } catch (RuntimeException e) {
        problems.add(where + ": " + e.getMessage());
      }
      try {
        DurationLimits.ttl(constant.ttl(), "ttl");
      } catch (RuntimeException e) {
        problems.add(where + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "LockKey catalog "
              + catalog.getName()
              + " has "
              + problems.size()
              + " problem(s): "
              + String.join("; ", problems));
    }
  }

  @Override
  public String toString() {
    return pattern;
  }
}

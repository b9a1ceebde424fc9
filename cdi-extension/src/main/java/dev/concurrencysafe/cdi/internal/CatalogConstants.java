package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.LockKey;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Finds an annotation's key in its catalog (an enum implementing {@link LockKey}) at deployment,
 * with a problem naming the catalog's constants when it is not there.
 *
 * <p>Thread-safety: stateless.
 */
final class CatalogConstants {

  private CatalogConstants() {}

  /** The constant {@code name} of {@code catalog}; null (and a problem) if there is none. */
  static @Nullable LockKey find(Class<?> catalog, String name, Problems problems) {
    if (!catalog.isEnum() || !LockKey.class.isAssignableFrom(catalog)) {
      problems.add(
          Problems.BAD_CATALOG,
          "catalog "
              + catalog.getName()
              + " must be an enum implementing dev.concurrencysafe.LockKey");
      return null;
    }
    try {
      validate(catalog);
    } catch (IllegalArgumentException e) {
      problems.add(Problems.BAD_CATALOG, String.valueOf(e.getMessage()));
      return null;
    }
    List<String> names = new ArrayList<>();
    for (Object constant : catalog.getEnumConstants()) {
      String constantName = ((Enum<?>) constant).name();
      if (constantName.equals(name)) {
        return (LockKey) constant;
      }
      names.add(constantName);
    }
    problems.add(
        Problems.UNKNOWN_CONSTANT,
        (name.isEmpty() ? "key is empty" : "key '" + name + "'")
            + " must name a constant of catalog "
            + catalog.getName()
            + "; its constants are "
            + names);
    return null;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void validate(Class<?> catalog) {
    LockKey.validateCatalog((Class) catalog);
  }
}

package dev.concurrencysafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The API boundary: what the module exports, and that no other module reaches into internal. */
class ModuleBoundaryTest {

  private static final Path API = Path.of("").toAbsolutePath();

  @Test
  void theModuleExportsTheApiAndTheSpiOnly() {
    ModuleReference module =
        ModuleFinder.of(API.resolve("target/classes"))
            .find("dev.concurrencysafe")
            .orElseThrow(
                () -> new AssertionError("no module dev.concurrencysafe in target/classes"));
    Set<String> exported =
        module.descriptor().exports().stream()
            .filter(export -> !export.isQualified())
            .map(ModuleDescriptor.Exports::source)
            .collect(Collectors.toSet());
    assertEquals(Set.of("dev.concurrencysafe", "dev.concurrencysafe.spi"), exported);
    assertTrue(module.descriptor().packages().contains("dev.concurrencysafe.internal"));
  }

  /**
   * Modules on the class path (tests, benchmarks, the integrations) are not held back by a
   * module-info: check their sources. A file may use an {@code internal} package only when its own
   * module declares that package.
   */
  @Test
  void noModuleImportsAnotherModulesInternalPackage() throws IOException {
    Path root = API.getParent();
    assertTrue(Files.isRegularFile(root.resolve("pom.xml")), "not the repository root: " + root);
    List<String> offenders;
    try (Stream<Path> files = Files.walk(root)) {
      offenders =
          files
              .filter(
                  file ->
                      !file.toString().contains("/target/") && file.toString().contains("/src/"))
              .filter(file -> file.toString().endsWith(".java") || file.toString().endsWith(".kt"))
              .flatMap(file -> foreignInternalImports(root, file))
              .sorted()
              .toList();
    }
    assertEquals(
        List.of(), offenders, "internal packages used outside their module; use the API or SPI");
  }

  private static Stream<String> foreignInternalImports(Path root, Path file) {
    Path module = root.resolve(root.relativize(file).getName(0));
    Matcher matcher = INTERNAL_IMPORT.matcher(read(file));
    List<String> found = new java.util.ArrayList<>();
    while (matcher.find()) {
      String packagePath = matcher.group(1).replace('.', '/');
      boolean own =
          Files.isDirectory(module.resolve("src/main/java/" + packagePath))
              || Files.isDirectory(module.resolve("src/main/kotlin/" + packagePath));
      if (!own) {
        found.add(root.relativize(file) + " imports " + matcher.group(1));
      }
    }
    return found.stream();
  }

  private static final Pattern INTERNAL_IMPORT =
      Pattern.compile(
          "import\\s+(?:static\\s+)?(dev\\.concurrencysafe(?:\\.\\w+)*?\\.internal)\\.");

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

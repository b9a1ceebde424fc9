package dev.concurrencysafe.examples.payara;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The example's WAR as the servers' tests deploy it: plus the held payment (the shop), or plus a
 * broken annotation (a deployment that must fail). The file name is the context root.
 *
 * <p>Thread-safety: stateless.
 */
public final class TestWars {

  private TestWars() {}

  /**
   * The example's WAR plus {@link HeldPaymentGateway}, as {@code dir/shop.war} (context root
   * /shop).
   */
  public static Path shop(Path exampleWar, Path dir) throws IOException {
    return withClass(exampleWar, HeldPaymentGateway.class, dir.resolve("shop.war"));
  }

  /** The example's WAR plus {@link BrokenRefunds}, as {@code dir/shop-broken.war}. */
  public static Path broken(Path exampleWar, Path dir) throws IOException {
    return withClass(exampleWar, BrokenRefunds.class, dir.resolve("shop-broken.war"));
  }

  private static Path withClass(Path war, Class<?> added, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    String classFile = added.getName().replace('.', '/') + ".class";
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(war));
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        out.putNextEntry(new ZipEntry(entry.getName()));
        in.transferTo(out);
        out.closeEntry();
      }
      out.putNextEntry(new ZipEntry("WEB-INF/classes/" + classFile));
      // from the test classes, whether a directory (this module) or the test-jar (other servers')
      try (InputStream bytes = added.getClassLoader().getResourceAsStream(classFile)) {
        if (bytes == null) {
          throw new IOException("not on the test class path: " + classFile);
        }
        bytes.transferTo(out);
      }
      out.closeEntry();
    }
    return target;
  }
}

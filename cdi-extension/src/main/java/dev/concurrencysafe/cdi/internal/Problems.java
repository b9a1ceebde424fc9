package dev.concurrencysafe.cdi.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects deployment problems, each as {@code "CSCDInnn <where>: <what>"} with a stable message
 * id, so every problem of every bean is reported at once.
 *
 * <p>Thread-safety: not thread-safe; used by the container's deployment thread.
 */
final class Problems {

  static final String BAD_DURATION = "CSCDI001";
  static final String UNKNOWN_PLACEHOLDER = "CSCDI002";
  static final String UNKNOWN_PROPERTY = "CSCDI003";
  static final String NO_PARAMETER_NAMES = "CSCDI004";
  static final String BAD_CATALOG = "CSCDI005";
  static final String UNKNOWN_CONSTANT = "CSCDI006";
  static final String BAD_EXCEPTION = "CSCDI007";
  static final String NOT_INTERCEPTABLE = "CSCDI008";
  static final String BAD_PATTERN = "CSCDI009";
  static final String BAD_SETTING = "CSCDI010";
  static final String CONNECTION = "CSCDI011";
  static final String AMBIGUOUS_STEREOTYPES = "CSCDI012";
  static final String NOT_PREPARED = "CSCDI013";
  static final String INTERCEPTOR_INACTIVE = "CSCDI014";
  static final String SKIP_RETURN_TYPE = "CSCDI015";

  /** How to make sure an extension prepares the interceptor, for {@link #NOT_PREPARED}. */
  static final String PREPARE_FIX =
      "on CDI Full (Weld SE, Helidon, Payara) the portable extension"
          + " dev.concurrencysafe.cdi.internal.ConcurrencySafeExtension must be loaded (it is listed in"
          + " concurrency-safe-cdi.jar's META-INF/services/jakarta.enterprise.inject.spi.Extension: keep that"
          + " file when shading, and do not filter the extension out); on CDI Lite (Quarkus ArC) the"
          + " build-compatible extension dev.concurrencysafe.cdi.internal.ConcurrencySafeLiteExtension must run"
          + " (META-INF/services/jakarta.enterprise.inject.build.compatible.spi.BuildCompatibleExtension)";

  private final List<String> messages = new ArrayList<>();
  private String where = "concurrency-safe";

  /** Sets what the following problems concern, e.g. {@code com.example.Shop#purchase}. */
  void at(String where) {
    this.where = where;
  }

  void add(String id, String what) {
    messages.add(id + " " + where + ": " + what);
  }

  int size() {
    return messages.size();
  }

  List<String> messages() {
    return List.copyOf(messages);
  }
}

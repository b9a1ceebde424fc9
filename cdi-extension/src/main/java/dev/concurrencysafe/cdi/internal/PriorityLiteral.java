package dev.concurrencysafe.cdi.internal;

import jakarta.annotation.Priority;
import jakarta.enterprise.util.AnnotationLiteral;

/**
 * A {@code @Priority(value)} instance, to re-prioritise the interceptor from configuration.
 *
 * <p>Thread-safety: immutable.
 */
@SuppressWarnings("all") // an annotation literal necessarily implements an annotation interface
final class PriorityLiteral extends AnnotationLiteral<Priority> implements Priority {
  private static final long serialVersionUID = 1L;

  private final int value;

  PriorityLiteral(int value) {
    this.value = value;
  }

  @Override
  public int value() {
    return value;
  }
}

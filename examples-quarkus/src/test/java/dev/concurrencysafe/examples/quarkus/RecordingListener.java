package dev.concurrencysafe.examples.quarkus;

import dev.concurrencysafe.LockEvent;
import dev.concurrencysafe.LockListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code LockListener} bean nobody injects: ArC removes such beans unless the library asks for
 * them, so receiving events proves the manager found it.
 *
 * <p>Thread-safety: thread-safe (synchronised list).
 */
@ApplicationScoped
public class RecordingListener implements LockListener {

  private final List<LockEvent> events = new ArrayList<>();

  @Override
  public synchronized void onEvent(LockEvent event) {
    events.add(event);
  }

  synchronized void clear() {
    events.clear();
  }

  /** How many events of {@code type} concerned a key containing {@code keyPart}. */
  synchronized long count(LockEvent.Type type, String keyPart) {
    return events.stream().filter(e -> e.type() == type && e.key().contains(keyPart)).count();
  }
}

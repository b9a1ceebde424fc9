package dev.concurrencysafe.testing;

import java.io.IOException;

/**
 * Sends POSIX signals to processes ({@code kill -NAME pid}): pausing a server (STOP/CONT), or
 * interrupting a program as Ctrl-C does (INT).
 *
 * <p>Thread-safety: stateless.
 */
public final class Signals {

  private Signals() {}

  /**
   * Sends {@code signal} (e.g. {@code "INT"}, {@code "STOP"}) to {@code pid}; fails if kill does.
   */
  public static void send(long pid, String signal) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException("kill -" + signal + " " + pid + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}

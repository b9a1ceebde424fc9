package dev.concurrencysafe.micrometer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockUnavailableException;
import dev.concurrencysafe.testing.Await;
import dev.concurrencysafe.testing.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Drives the library through authentication failures and an outage with credentials in the Redis
 * URI, capturing everything printed to System.err (slf4j-simple, so Redisson's own logs too), every
 * record of the library's logger, and every exception thrown to the caller.
 */
class NoSecretsLoggedTest {

  private static final String PASSWORD = "s3cr3t-pa55";
  private static final String WRONG_PASSWORD = "wr0ng-pa55word";

  /** {@code scheme://anything:anything@}: a URI carrying credentials. */
  private static final Pattern CREDENTIAL_URI =
      Pattern.compile("[a-z][a-z0-9+.-]*://[^\\s/@]*:[^\\s/@]*@");

  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final List<Throwable> thrown = new ArrayList<>();
  private final Logger libraryLogger = Logger.getLogger("dev.concurrencysafe");
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private PrintStream originalErr;

  @BeforeEach
  void capture() {
    originalErr = System.err;
    System.setErr(new PrintStream(new Tee(originalErr, errBytes), true, StandardCharsets.UTF_8));
    capture.setLevel(Level.ALL);
    libraryLogger.addHandler(capture);
  }

  @AfterEach
  void release() {
    libraryLogger.removeHandler(capture);
    System.setErr(originalErr);
  }

  @Test
  void noPasswordOrCredentialUriIsLoggedOrThrown() throws Exception {
    try (RedisServer redis = RedisServer.start("--requirepass", PASSWORD)) {
      wrongPasswordFailsClosedQuietly(redis);
      outageWithTheRightPasswordFailsClosedQuietly(redis);
    }

    List<String> texts = new ArrayList<>();
    texts.add(errBytes.toString(StandardCharsets.UTF_8));
    for (LogRecord record : records) {
      texts.add(format(record));
      if (record.getThrown() != null) {
        texts.add(stackTrace(record.getThrown()));
      }
    }
    for (Throwable t : thrown) {
      texts.add(stackTrace(t));
    }
    // The detectors can see a leak: slf4j output (Redisson's own) reached the capture, the AUTH
    // failure is in the thrown chain, and the pattern recognises the address we configured.
    assertTrue(texts.get(0).contains("org.redisson"), "System.err capture saw no slf4j output");
    assertTrue(
        thrown.stream().map(NoSecretsLoggedTest::stackTrace).anyMatch(t -> t.contains("WRONGPASS")),
        "the wrong-password failure was not what the caller got");
    assertTrue(CREDENTIAL_URI.matcher("redis://default:" + PASSWORD + "@127.0.0.1:6379").find());
    // The failure paths really ran: the library logged its outage warning and threw.
    assertTrue(
        records.stream().anyMatch(r -> format(r).contains("lock store unreachable")),
        "no outage warning captured: "
            + records.stream().map(NoSecretsLoggedTest::format).toList());
    assertTrue(
        records.stream().anyMatch(r -> format(r).contains("could not renew")),
        "no renewal warning captured");
    assertTrue(thrown.size() >= 3, "expected the failures to be thrown to the caller: " + thrown);
    for (String text : texts) {
      assertFalse(text.contains(PASSWORD), () -> "the password leaked:\n" + text);
      assertFalse(text.contains(WRONG_PASSWORD), () -> "the wrong password leaked:\n" + text);
      assertFalse(
          CREDENTIAL_URI.matcher(text).find(), () -> "a URI with credentials leaked:\n" + text);
    }
  }

  private void wrongPasswordFailsClosedQuietly(RedisServer redis) {
    // Credentials in the URI (the common way to configure them) and lazy connection, so the
    // failure reaches the library instead of Redisson.create().
    RedissonClient client =
        client("redis://default:" + WRONG_PASSWORD + "@127.0.0.1:" + redis.port());
    try (LockManager locks =
        LockManager.builder().unavailableTimeout(Duration.ofMillis(800)).redisson(client)) {
      thrown.add(
          assertThrows(
              LockUnavailableException.class,
              () -> locks.with(CacheKey.PURCHASE, "u1").run(() -> {})));
      // failOpen logs a WARN with what the caller gets; the body runs unprotected.
      boolean[] ran = new boolean[1];
      locks.with(CacheKey.PURCHASE, "u1").failOpen().run(() -> ran[0] = true);
      assertTrue(ran[0]);
    } finally {
      client.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  private void outageWithTheRightPasswordFailsClosedQuietly(RedisServer redis) {
    RedissonClient client = client("redis://default:" + PASSWORD + "@127.0.0.1:" + redis.port());
    try (LockManager locks =
        LockManager.builder().unavailableTimeout(Duration.ofMillis(800)).redisson(client)) {
      locks.with(CacheKey.PURCHASE, "u2").run(() -> {}); // authenticated and working
      Lease lease = locks.with(CacheKey.FLAKY, "u3").acquire();
      redis.stop(); // mid-use: the lease's renewals and its release now fail
      Await.until(
          "a renewal failure is logged",
          Duration.ofSeconds(10),
          () -> records.stream().anyMatch(r -> format(r).contains("could not renew")));
      thrown.add(
          assertThrows(
              LockUnavailableException.class,
              () -> locks.with(CacheKey.PURCHASE, "u4").run(() -> {})));
      thrown.add(
          assertThrows(
              LockUnavailableException.class,
              () ->
                  locks
                      .with(CacheKey.PURCHASE, "u5")
                      .waitTimeout(Duration.ofMillis(100))
                      .acquire()));
      lease.close(); // release fails: logged, never thrown
    } finally {
      client.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  private static RedissonClient client(String address) {
    Config config = new Config();
    config.setLazyInitialization(true);
    config
        .useSingleServer()
        .setAddress(address)
        .setTimeout(300)
        .setRetryAttempts(0)
        .setConnectTimeout(300);
    return Redisson.create(config);
  }

  private static String format(LogRecord record) {
    String message = record.getMessage() == null ? "" : record.getMessage();
    Object[] parameters = record.getParameters();
    return parameters == null ? message : MessageFormat.format(message, parameters);
  }

  /** Message, causes and suppressed exceptions, all in one text. */
  private static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  /** Writes to the real stream (so the surefire report keeps the output) and to a buffer. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public synchronized void write(int b) throws java.io.IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }

    @Override
    public synchronized void flush() throws java.io.IOException {
      first.flush();
      second.flush();
    }
  }
}

package dev.concurrencysafe.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.LockUnavailableException;
import dev.concurrencysafe.RedisLayout;
import dev.concurrencysafe.testing.LogCapture;
import dev.concurrencysafe.testing.RedisServer;
import dev.concurrencysafe.testing.RespConnection;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Scenario 9: requirepass, an ACL user with the minimal permissions, a wrong password (clear error,
 * no password anywhere in messages or logs) and TLS with a CA generated at test time.
 */
class SecurityTest {

  private static final String ADMIN_PASSWORD = "admin-Secr3t-7f3a";
  static final String LOCKER_PASSWORD = "locker-Secr3t-91bc";
  private static final String WRONG_PASSWORD = "wrong-Secr3t-c0de";

  /**
   * The minimal ACL for a manager with {@code keyPrefix("app:")}: lock keys {@code {app:K}} and
   * {@code {app:K}:fence}, and the one release channel {@code app:concurrency-safe:released}.
   * Documented in docs/reliability.md; found by starting from nothing and adding what ACL LOG
   * reported.
   */
  static final String MINIMAL_ACL =
      "on >"
          + LOCKER_PASSWORD
          + " resetkeys ~{app:* resetchannels &"
          + RedisLayout.releaseChannel("app:")
          + " -@all"
          + " +evalsha +eval +script|load +get +set +pexpire +pttl +del +time +publish"
          + " +subscribe +unsubscribe +ping";

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void requirepassAndAMinimalAclUserCanDoEverythingAndNothingElse() throws Exception {
    try (RedisServer redis = RedisServer.start("--requirepass", ADMIN_PASSWORD);
        RespConnection admin = new RespConnection(redis.port())) {
      assertEquals("OK", admin.call("AUTH", ADMIN_PASSWORD));
      List<String> rule = new java.util.ArrayList<>(List.of("ACL", "SETUSER", "locker"));
      rule.addAll(List.of(MINIMAL_ACL.split(" ")));
      assertEquals("OK", admin.call(rule));

      // requirepass (the default user).
      RedissonClient adminApp = client(redis.port(), null, ADMIN_PASSWORD);
      try (LockManager locks = LockManager.redisson(adminApp)) {
        assertEquals(7, (int) locks.with("rel:auth").call(() -> 7));
      } finally {
        adminApp.shutdown();
      }

      // The ACL user: acquire, renew (body longer than ttl/3), wait on the channel, cooldown.
      RedissonClient lockerApp = client(redis.port(), "locker", LOCKER_PASSWORD);
      RedissonClient otherApp = client(redis.port(), "locker", LOCKER_PASSWORD);
      ExecutorService waiting = Executors.newSingleThreadExecutor();
      try (LockManager locks = LockManager.builder().keyPrefix("app:").redisson(lockerApp);
          LockManager others = LockManager.builder().keyPrefix("app:").redisson(otherApp)) {
        // Redisson probes for a cluster proxy at startup with EVAL "get test1, get test2"; under
        // this
        // ACL the probe is denied (NOPERM on key test1) and Redisson ignores the denial. Forget it.
        String startupDenials = admin.call("ACL", "LOG");
        assertTrue(startupDenials.isEmpty() || startupDenials.contains("test1"), startupDenials);
        admin.call("ACL", "LOG", "RESET");
        Lease held = locks.with("rel:acl").ttl(Duration.ofMillis(1500)).acquire();
        Future<Long> waiter =
            waiting.submit(
                () -> others.with("rel:acl").waitTimeout(Duration.ofSeconds(5)).call(() -> 1L));
        Thread.sleep(1100); // two renewals (every 500 ms) must succeed under the ACL
        assertTrue(
            held.isValid(), "renewal works under the ACL; ACL LOG: " + admin.call("ACL", "LOG"));
        held.close();
        assertEquals(
            1L, waiter.get(10, TimeUnit.SECONDS), "waiting (SUBSCRIBE) works under the ACL");
        locks.with("rel:acl-cooldown").cooldown(Duration.ofSeconds(5)).run(() -> {});
        assertEquals("1", admin.call("EXISTS", "{app:rel:acl-cooldown}"));
        assertEquals("", admin.call("ACL", "LOG"), "no command was denied");

        // ...and nothing outside its keys: a manager without the prefix fails closed.
        try (LockManager unprefixed = LockManager.redisson(lockerApp)) {
          LockUnavailableException denied =
              assertThrows(
                  LockUnavailableException.class, () -> unprefixed.with("rel:acl").run(() -> {}));
          assertTrue(denied.getMessage().contains("NOPERM"), denied.getMessage());
        }
        assertFalse(admin.call("ACL", "LOG").isEmpty(), "the denial is in ACL LOG");
        Figures.record(
            "security: ACL",
            "minimal user: ACL SETUSER locker "
                + MINIMAL_ACL.replace(LOCKER_PASSWORD, "<password>")
                + " -- acquire, renew, wait, cooldown and release all work;"
                + " a key outside ~{app:* fails closed with NOPERM");
      } finally {
        waiting.shutdownNow();
        lockerApp.shutdown();
        otherApp.shutdown();
      }
    }
  }

  /** After a restart the script cache is empty: the ACL must also allow reloading the scripts. */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void theMinimalAclSurvivesARestartThatFlushedTheScriptCache() throws Exception {
    List<String> args =
        new java.util.ArrayList<>(List.of("--requirepass", ADMIN_PASSWORD, "--user", "locker"));
    args.addAll(List.of(MINIMAL_ACL.split(" ")));
    try (RedisServer redis = RedisServer.start(args.toArray(String[]::new))) {
      RedissonClient lockerApp = client(redis.port(), "locker", LOCKER_PASSWORD);
      try (LockManager locks =
          LockManager.builder()
              .keyPrefix("app:")
              .unavailableTimeout(Duration.ofSeconds(2))
              .redisson(lockerApp)) {
        locks.with("rel:acl-restart").run(() -> {});
        redis.restart();
        long restartedAt = System.nanoTime();
        long deadline = restartedAt + TimeUnit.SECONDS.toNanos(10);
        long recoveredMillis;
        while (true) {
          try {
            try (Lease lease =
                locks.with("rel:acl-restart").ttl(Duration.ofMillis(1500)).acquire()) {
              recoveredMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt);
              Thread.sleep(1100); // renewals after the restart, under the ACL
              assertTrue(lease.isValid(), "renewal after restart under the ACL");
            }
            break;
          } catch (LockUnavailableException reconnecting) {
            assertFalse(
                String.valueOf(reconnecting.getMessage()).contains("NOPERM"),
                reconnecting.getMessage());
            assertTrue(System.nanoTime() < deadline, "no recovery: " + reconnecting.getMessage());
            Thread.sleep(50);
          }
        }
        try (RespConnection admin = new RespConnection(redis.port())) {
          admin.call("AUTH", ADMIN_PASSWORD);
          String denied = admin.call("ACL", "LOG");
          assertFalse(
              denied.contains("cmd=evalsha")
                  || denied.contains("cmd=script")
                  || denied.contains("{app:"),
              "denied after the restart: " + denied);
          assertEquals("0", admin.call("EXISTS", "{app:rel:acl-restart}"));
          String reloads =
              String.join(
                  " ",
                  admin
                      .call("INFO", "commandstats")
                      .lines()
                      .filter(
                          line ->
                              line.startsWith("cmdstat_script") || line.startsWith("cmdstat_eval"))
                      .map(line -> line.split(",")[0])
                      .toList());
          Figures.record(
              "security: ACL after a restart",
              "script cache flushed by the restart;"
                  + " under the minimal ACL the first lock succeeded "
                  + recoveredMillis
                  + " ms after"
                  + " it, renewals worked; commands since the restart: "
                  + reloads);
        }
      } finally {
        lockerApp.shutdown();
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void wrongPasswordFailsAtStartupWithoutRevealingIt() throws Exception {
    try (RedisServer redis = RedisServer.start("--requirepass", ADMIN_PASSWORD)) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      PrintStream originalErr = System.err;
      String startup;
      String lazy;
      try (LogCapture jul = LogCapture.all()) {
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
          // Eager (Redisson's default): Redisson.create itself fails.
          Throwable atStartup =
              assertThrows(
                  Throwable.class, () -> client(redis.port(), null, WRONG_PASSWORD).shutdown());
          startup = chain(atStartup);
          // The password in the URI, the way many applications configure it.
          Config uriConfig = new Config();
          uriConfig
              .useSingleServer()
              .setAddress("redis://:" + WRONG_PASSWORD + "@127.0.0.1:" + redis.port());
          startup +=
              " || "
                  + chain(
                      assertThrows(Throwable.class, () -> Redisson.create(uriConfig).shutdown()));
          // Lazy initialisation: the first lock call fails closed instead.
          Config lazyConfig = new Config().setLazyInitialization(true).setPassword(WRONG_PASSWORD);
          lazyConfig
              .useSingleServer()
              .setAddress("redis://127.0.0.1:" + redis.port())
              .setRetryAttempts(0);
          RedissonClient lazyClient = Redisson.create(lazyConfig);
          try (LockManager locks =
              LockManager.builder()
                  .unavailableTimeout(Duration.ofSeconds(2))
                  .redisson(lazyClient)) {
            lazy =
                chain(
                    assertThrows(
                        LockUnavailableException.class,
                        () -> locks.with("rel:wrong").run(() -> {})));
          } finally {
            lazyClient.shutdown();
          }
        } finally {
          System.setErr(originalErr);
        }
        String logs = err.toString(StandardCharsets.UTF_8) + String.join("\n", jul.allMessages());
        for (String where : List.of(startup, lazy, logs)) {
          assertFalse(where.contains(WRONG_PASSWORD), "password revealed: " + where);
          assertFalse(where.contains(ADMIN_PASSWORD), "password revealed: " + where);
        }
        assertTrue(
            startup.contains("WRONGPASS")
                || startup.contains("invalid username-password")
                || startup.contains("NOAUTH"),
            "the startup error says why: " + startup);
        Figures.record(
            "security: wrong password",
            "Redisson.create fails at startup; root cause: "
                + last(startup)
                + " | first lock call with lazy init: "
                + lazy.substring(0, lazy.indexOf(" <- "))
                + " | neither password in any message or in "
                + logs.lines().count()
                + " captured log lines (System.err + java.util.logging)");
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void tlsWithAGeneratedCa(@TempDir Path dir) throws Exception {
    TestCertificates certs = TestCertificates.generate(dir);
    int tlsPort = RedisServer.freePort();
    try (RedisServer redis =
        RedisServer.start(
            "--tls-port",
            Integer.toString(tlsPort),
            "--tls-cert-file",
            certs.serverCert().toString(),
            "--tls-key-file",
            certs.serverKey().toString(),
            "--tls-ca-cert-file",
            certs.caCert().toString(),
            "--tls-auth-clients",
            "no")) {
      Config config =
          new Config()
              .setSslTruststore(certs.trustStore().toUri().toURL())
              .setSslTruststorePassword(TestCertificates.STORE_PASSWORD);
      config.useSingleServer().setAddress("rediss://127.0.0.1:" + tlsPort);
      RedissonClient client = Redisson.create(config);
      try (LockManager locks = LockManager.redisson(client)) {
        long token =
            locks
                .with("rel:tls")
                .call(
                    () -> {
                      assertEquals("1", redis.command("EXISTS", "{rel:tls}"));
                      return 1L;
                    });
        assertEquals(1L, token);
        assertEquals("0", redis.command("EXISTS", "{rel:tls}"));
      } finally {
        client.shutdown();
      }
      // A client that does not trust the CA cannot connect: the certificate is really checked.
      Config untrusting = new Config();
      untrusting
          .useSingleServer()
          .setAddress("rediss://127.0.0.1:" + tlsPort)
          .setRetryAttempts(0)
          .setConnectTimeout(2000)
          .setTimeout(2000);
      String refused =
          chain(assertThrows(Throwable.class, () -> Redisson.create(untrusting).shutdown()));
      Figures.record(
          "security: TLS",
          "rediss:// with a CA generated by keytool at test time:"
              + " lock cycle OK; client without the CA refused: "
              + last(refused));
    }
  }

  private static RedissonClient client(int port, @Nullable String user, String password) {
    Config config = new Config().setUsername(user).setPassword(password);
    config.useSingleServer().setAddress("redis://127.0.0.1:" + port).setRetryAttempts(0);
    return Redisson.create(config);
  }

  private static String last(String chain) {
    return chain.substring(chain.lastIndexOf(" <- ") + 4);
  }

  private static String chain(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(sb.length() == 0 ? "" : " <- ")
          .append(c.getClass().getSimpleName())
          .append(": ")
          .append(c.getMessage());
    }
    return sb.toString();
  }
}

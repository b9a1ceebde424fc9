package dev.concurrencysafe.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA and a server certificate for 127.0.0.1, made with the JDK's keytool (no OpenSSL
 * needed), plus the PEM files redis-server wants and a PKCS#12 trust store for Redisson.
 *
 * <p>Thread-safety: immutable.
 */
record TestCertificates(Path caCert, Path serverCert, Path serverKey, Path trustStore) {

  static final String STORE_PASSWORD = "changeit";

  static TestCertificates generate(Path dir)
      throws IOException, GeneralSecurityException, InterruptedException {
    Path ca = dir.resolve("ca.p12");
    Path server = dir.resolve("server.p12");
    Path csr = dir.resolve("server.csr");
    Path caPem = dir.resolve("ca.pem");
    Path serverPem = dir.resolve("server.pem");
    Path keyPem = dir.resolve("server.key");
    Path trust = dir.resolve("trust.p12");
    keytool(
        "-genkeypair",
        "-keystore",
        ca,
        "-alias",
        "ca",
        "-dname",
        "CN=concurrency-safe test CA",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-ext",
        "bc:c",
        "-validity",
        "2");
    keytool("-exportcert", "-keystore", ca, "-alias", "ca", "-rfc", "-file", caPem);
    keytool(
        "-genkeypair",
        "-keystore",
        server,
        "-alias",
        "server",
        "-dname",
        "CN=localhost",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-validity",
        "2");
    keytool("-certreq", "-keystore", server, "-alias", "server", "-file", csr);
    keytool(
        "-gencert",
        "-keystore",
        ca,
        "-alias",
        "ca",
        "-infile",
        csr,
        "-outfile",
        serverPem,
        "-rfc",
        "-ext",
        "san=ip:127.0.0.1,dns:localhost",
        "-validity",
        "2");
    keytool("-importcert", "-keystore", trust, "-alias", "ca", "-file", caPem, "-noprompt");

    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(server)) {
      store.load(in, STORE_PASSWORD.toCharArray());
    }
    PrivateKey key = (PrivateKey) store.getKey("server", STORE_PASSWORD.toCharArray());
    Files.writeString(
        keyPem,
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded())
            + "\n-----END PRIVATE KEY-----\n",
        StandardCharsets.US_ASCII);
    return new TestCertificates(caPem, serverPem, keyPem, trust);
  }

  private static void keytool(Object... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    for (Object arg : args) {
      command.add(arg.toString());
    }
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", STORE_PASSWORD));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("keytool failed: " + command + "\n" + output);
    }
  }
}

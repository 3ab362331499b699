package dev.tollgate.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A server certificate for {@code 127.0.0.1}, generated once per JVM by the JDK's {@code keytool}
 * into a temporary PKCS12 file, and a client TLS context that trusts exactly that certificate
 * (hostname verification stays on).
 */
final class SelfSignedTls {
  private static SelfSignedTls instance;

  final Path keystore;
  final String password;
  final SSLContext clientContext;

  private SelfSignedTls(Path keystore, String password, SSLContext clientContext) {
    this.keystore = keystore;
    this.password = password;
    this.clientContext = clientContext;
  }

  static synchronized SelfSignedTls get() throws IOException, GeneralSecurityException {
    if (instance == null) {
      instance = create();
    }
    return instance;
  }

  private static SelfSignedTls create() throws IOException, GeneralSecurityException {
    Path dir = Files.createTempDirectory("servlet-tls-");
    Path keystore = dir.resolve("server.p12");
    String password = UUID.randomUUID().toString();
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command =
        List.of(
            keytool.toString(),
            "-genkeypair",
            "-alias",
            "server",
            "-keyalg",
            "EC",
            "-groupname",
            "secp256r1",
            "-dname",
            "CN=localhost",
            "-ext",
            "SAN=ip:127.0.0.1,dns:localhost",
            "-validity",
            "2",
            "-storetype",
            "PKCS12",
            "-keystore",
            keystore.toString(),
            "-storepass",
            password,
            "-keypass",
            password);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException("keytool failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for keytool", e);
    }
    keystore.toFile().deleteOnExit();
    dir.toFile().deleteOnExit();

    KeyStore server = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      server.load(in, password.toCharArray());
    }
    Certificate certificate = server.getCertificate("server");
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    trusted.setCertificateEntry("server", certificate);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return new SelfSignedTls(keystore, password, context);
  }
}

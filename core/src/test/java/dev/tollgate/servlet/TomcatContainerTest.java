package dev.tollgate.servlet;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/** The scenarios in embedded Tomcat 11 (Servlet 6.1), the servlet mapped to {@code /}. */
class TomcatContainerTest extends ContainerScenarios {
  // Held so that the level sticks: java.util.logging keeps loggers weakly.
  private static final Logger CATALINA_LOG = Logger.getLogger("org.apache");

  @Override
  String servletMapping() {
    return "/";
  }

  @Override
  Running start(TestApp app, SelfSignedTls tls) throws Exception {
    CATALINA_LOG.setLevel(Level.WARNING);
    Path base = Files.createTempDirectory("servlet-tomcat-");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());

    Connector http = new Connector();
    http.setPort(0);
    http.setProperty("address", "127.0.0.1");
    tomcat.setConnector(http);

    Connector https = new Connector();
    https.setPort(0);
    https.setProperty("address", "127.0.0.1");
    https.setScheme("https");
    https.setSecure(true);
    https.setProperty("SSLEnabled", "true");
    SSLHostConfig sslHostConfig = new SSLHostConfig();
    SSLHostConfigCertificate certificate =
        new SSLHostConfigCertificate(sslHostConfig, SSLHostConfigCertificate.Type.UNDEFINED);
    certificate.setCertificateKeystoreFile(tls.keystore.toString());
    certificate.setCertificateKeystorePassword(tls.password);
    certificate.setCertificateKeystoreType("PKCS12");
    sslHostConfig.addCertificate(certificate);
    https.addSslHostConfig(sslHostConfig);
    tomcat.getService().addConnector(https);

    StandardContext context = (StandardContext) tomcat.addContext("", base.toString());
    // The leak detection of a web application's class loader needs --add-opens; not our subject.
    context.setClearReferencesRmiTargets(false);
    context.setClearReferencesThreadLocals(false);
    context.addServletContainerInitializer(app, null);
    tomcat.start();
    return new Running() {
      @Override
      public int httpPort() {
        return http.getLocalPort();
      }

      @Override
      public int httpsPort() {
        return https.getLocalPort();
      }

      @Override
      public void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
        deleteTree(base.toFile());
      }
    };
  }

  private static void deleteTree(File f) {
    File[] children = f.listFiles();
    if (children != null) {
      for (File c : children) {
        deleteTree(c);
      }
    }
    f.delete();
  }
}

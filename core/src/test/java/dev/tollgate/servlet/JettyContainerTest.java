package dev.tollgate.servlet;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The scenarios in embedded Jetty 12 (ee10, Servlet 6.0), the servlet mapped to {@code /*}. */
class JettyContainerTest extends ContainerScenarios {
  @Override
  String servletMapping() {
    return "/*";
  }

  @Override
  Running start(TestApp app, SelfSignedTls tls) throws Exception {
    Server server = new Server();
    ServerConnector http = new ServerConnector(server);
    http.setHost("127.0.0.1");
    http.setPort(0);

    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStorePath(tls.keystore.toString());
    ssl.setKeyStorePassword(tls.password);
    ssl.setKeyStoreType("PKCS12");
    HttpConfiguration httpsConfig = new HttpConfiguration();
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false); // clients send no SNI for an IP address
    httpsConfig.addCustomizer(secure);
    ServerConnector https =
        new ServerConnector(
            server,
            new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
            new HttpConnectionFactory(httpsConfig));
    https.setHost("127.0.0.1");
    https.setPort(0);
    server.setConnectors(new Connector[] {http, https});

    ServletContextHandler context = new ServletContextHandler("/");
    context.addServletContainerInitializer(app);
    server.setHandler(context);
    server.start();
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
        server.stop();
      }
    };
  }
}

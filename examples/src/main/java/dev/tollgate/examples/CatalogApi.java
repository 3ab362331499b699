package dev.tollgate.examples;

import dev.tollgate.JwtValidator;
import dev.tollgate.VerifiedJwt;
import dev.tollgate.servlet.BearerTokenFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A small catalog API in embedded Jetty 12, behind {@link BearerTokenFilter}, wired in code: {@code
 * GET /catalog/{id}} needs the scope {@code read:catalog}, {@code PUT /catalog/{id}} needs {@code
 * write:catalog}, and {@code GET /health} is public.
 *
 * <p>It listens on 127.0.0.1 over plain HTTP, which the filter refuses unless told otherwise: this
 * example opts in with {@code allowPlainHttpOnLoopback()}. A real deployment serves the API over
 * HTTPS (a Jetty {@code SslConnectionFactory}, or a TLS-terminating proxy named in {@code
 * trustForwardedProtoFrom(...)}) and leaves that option out.
 */
public final class CatalogApi implements AutoCloseable {
  /** The scope that reading an item needs. */
  public static final String READ = "read:catalog";

  /** The scope that writing an item needs. */
  public static final String WRITE = "write:catalog";

  private static final int MAX_ITEM_BYTES = 1024;

  private final Server server;
  private final ServerConnector connector;

  private CatalogApi(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /**
   * Starts the API on a free port of 127.0.0.1.
   *
   * @param validator the validator every token must pass
   * @return the running API; close it to stop
   * @throws Exception if Jetty cannot start
   */
  public static CatalogApi start(JwtValidator validator) throws Exception {
    return start(validator, 0);
  }

  /**
   * Starts the API on a port of 127.0.0.1.
   *
   * @param validator the validator every token must pass
   * @param port the port, or 0 for a free one
   * @return the running API; close it to stop
   * @throws Exception if Jetty cannot start
   */
  public static CatalogApi start(JwtValidator validator, int port) throws Exception {
    // catalog-api: filter
    BearerTokenFilter filter =
        BearerTokenFilter.builder(validator)
            .realm("catalog")
            .publicPath("GET", "/health")
            .requireScopes("GET", "/catalog/*", READ)
            .requireScopes("PUT", "/catalog/*", WRITE)
            // Plain HTTP from 127.0.0.1 only, for this example; a real deployment uses HTTPS.
            .allowPlainHttpOnLoopback()
            .build();
    // end

    // catalog-api: jetty
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new CatalogServlet()), "/*");
    context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    server.start();
    // end
    return new CatalogApi(server, connector);
  }

  /**
   * Returns the API's base URI, {@code http://127.0.0.1:<port>/}.
   *
   * @return the URI
   */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
  }

  /**
   * Waits until the server stops (for the demo's {@code --serve} mode).
   *
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public void join() throws InterruptedException {
    server.join();
  }

  /**
   * Stops the server.
   *
   * @throws IllegalStateException if Jetty fails to stop
   */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping Jetty", e);
    } catch (Exception e) {
      throw new IllegalStateException("Jetty failed to stop", e);
    }
  }

  /**
   * The application behind the filter: a map of items. It sees only requests the filter let
   * through, and reads who is calling from the verified token.
   */
  static final class CatalogServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final Map<String, String> items = new ConcurrentHashMap<>(Map.of("42", "teapot"));

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      String path = path(request);
      if (path.equals("/health")) {
        send(response, HttpServletResponse.SC_OK, "ok");
        return;
      }
      String id = itemId(path);
      String item = id == null ? null : items.get(id);
      if (item == null) {
        send(response, HttpServletResponse.SC_NOT_FOUND, "no such item");
        return;
      }
      // The filter put the verified token on the request: no need to parse anything again.
      String caller =
          BearerTokenFilter.verifiedJwt(request).flatMap(VerifiedJwt::subject).orElse("?");
      send(response, HttpServletResponse.SC_OK, id + ": " + item + " (read by " + caller + ")");
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      String id = itemId(path(request));
      if (id == null) {
        send(response, HttpServletResponse.SC_NOT_FOUND, "no such item");
        return;
      }
      byte[] body;
      try (InputStream in = request.getInputStream()) {
        body = in.readNBytes(MAX_ITEM_BYTES + 1);
      }
      if (body.length == 0 || body.length > MAX_ITEM_BYTES) {
        send(response, HttpServletResponse.SC_BAD_REQUEST, "send the item's name, 1 to 1024 bytes");
        return;
      }
      items.put(id, new String(body, StandardCharsets.UTF_8).strip());
      response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    private static String path(HttpServletRequest request) {
      String info = request.getPathInfo();
      return request.getServletPath() + (info == null ? "" : info);
    }

    /** Returns the id of {@code /catalog/{id}}, or null for any other path. */
    private static String itemId(String path) {
      String prefix = "/catalog/";
      if (!path.startsWith(prefix) || path.length() == prefix.length()) {
        return null;
      }
      String id = path.substring(prefix.length());
      return id.indexOf('/') >= 0 ? null : id;
    }

    private static void send(HttpServletResponse response, int status, String text)
        throws IOException {
      response.setStatus(status);
      response.setContentType("text/plain");
      response.setCharacterEncoding("UTF-8");
      response.getOutputStream().write((text + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }
}

package dev.tollgate.servlet;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A request and a response without a container, for unit tests of the filter's decisions. */
final class FakeHttp {
  private FakeHttp() {}

  /** A request whose every part a test sets; unknown methods throw. */
  static final class Request {
    String method = "GET";
    String servletPath = "/api/x";
    String pathInfo;
    String query;
    boolean secure = true;
    String remoteAddr = "192.0.2.10";
    final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    final List<Cookie> cookies = new ArrayList<>();
    final Map<String, Object> attributes = new HashMap<>();
    final Map<String, String[]> parameters = new HashMap<>();
    // A container may refuse to enumerate headers: getHeaders then answers null.
    boolean headerEnumerationRefused;

    Request path(String servletPath) {
      this.servletPath = servletPath;
      return this;
    }

    Request method(String method) {
      this.method = method;
      return this;
    }

    Request header(String name, String value) {
      headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      return this;
    }

    HttpServletRequest proxy() {
      return (HttpServletRequest)
          Proxy.newProxyInstance(
              FakeHttp.class.getClassLoader(),
              new Class<?>[] {HttpServletRequest.class},
              (p, m, args) -> {
                return switch (m.getName()) {
                  case "getMethod" -> method;
                  case "getServletPath" -> servletPath;
                  case "getPathInfo" -> pathInfo;
                  case "getQueryString" -> query;
                  case "isSecure" -> secure;
                  case "getRemoteAddr" -> remoteAddr;
                  case "getHeader" -> {
                    List<String> values = headers.get((String) args[0]);
                    yield values == null ? null : values.get(0);
                  }
                  case "getHeaders" -> {
                    yield headerEnumerationRefused
                        ? null
                        : Collections.enumeration(
                            headers.getOrDefault((String) args[0], List.of()));
                  }
                  case "getContentType" -> {
                    List<String> type = headers.get("Content-Type");
                    yield type == null ? null : type.get(0);
                  }
                  case "getCookies" -> cookies.isEmpty() ? null : cookies.toArray(new Cookie[0]);
                  case "getParameterValues" -> parameters.get((String) args[0]);
                  case "getAttribute" -> attributes.get((String) args[0]);
                  case "setAttribute" -> {
                    attributes.put((String) args[0], args[1]);
                    yield null;
                  }
                  case "toString" -> "FakeRequest";
                  default -> throw new UnsupportedOperationException(m.getName());
                };
              });
    }
  }

  /** A response that records what the filter sent. */
  static final class Response {
    int status = 200;
    final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    final ByteArrayOutputStream body = new ByteArrayOutputStream();

    String body() {
      return body.toString(StandardCharsets.UTF_8);
    }

    HttpServletResponse proxy() {
      ServletOutputStream out =
          new ServletOutputStream() {
            @Override
            public boolean isReady() {
              return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {}

            @Override
            public void write(int b) {
              body.write(b);
            }
          };
      return (HttpServletResponse)
          Proxy.newProxyInstance(
              FakeHttp.class.getClassLoader(),
              new Class<?>[] {HttpServletResponse.class},
              (p, m, args) -> {
                return switch (m.getName()) {
                  case "setStatus" -> {
                    status = (Integer) args[0];
                    yield null;
                  }
                  case "setHeader" -> {
                    headers.put((String) args[0], (String) args[1]);
                    yield null;
                  }
                  case "setContentType" -> {
                    headers.put("Content-Type", (String) args[0]);
                    yield null;
                  }
                  case "setContentLength" -> {
                    headers.put("Content-Length", String.valueOf(args[0]));
                    yield null;
                  }
                  case "getOutputStream" -> out;
                  case "toString" -> "FakeResponse";
                  default -> throw new UnsupportedOperationException(m.getName());
                };
              });
    }
  }

  /** A chain that records the request it was called with. */
  static final class Chain implements FilterChain {
    ServletRequest passed;

    @Override
    public void doFilter(ServletRequest request, jakarta.servlet.ServletResponse response) {
      passed = request;
    }
  }
}

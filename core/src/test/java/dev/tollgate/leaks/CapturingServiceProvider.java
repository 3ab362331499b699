package dev.tollgate.leaks;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The slf4j binding of core's tests: it records every event at every level (message, arguments and
 * throwable, as a user's logging backend would render them) so that {@code LogLeakTest} can scan
 * the whole run for tokens, signatures and secrets. WARN and ERROR lines are also printed.
 */
public final class CapturingServiceProvider implements SLF4JServiceProvider {
  private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
  private final ILoggerFactory factory =
      name -> loggers.computeIfAbsent(name, CapturingLogger::new);
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new BasicMDCAdapter();

  @Override
  public ILoggerFactory getLoggerFactory() {
    return factory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  private static final class CapturingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    private final boolean scanned;

    CapturingLogger(String name) {
      this.name = name;
      this.scanned = CapturedLogs.isScanned(name);
    }

    @Override
    public boolean isTraceEnabled() {
      return scanned;
    }

    @Override
    public boolean isDebugEnabled() {
      return scanned;
    }

    @Override
    public boolean isInfoEnabled() {
      return scanned;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return CapturingLogger.class.getName();
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level,
        Marker marker,
        String messagePattern,
        Object[] arguments,
        Throwable throwable) {
      StringBuilder line =
          new StringBuilder(level.name())
              .append(' ')
              .append(MessageFormatter.basicArrayFormat(messagePattern, arguments));
      if (throwable != null) {
        StringWriter trace = new StringWriter();
        throwable.printStackTrace(new PrintWriter(trace));
        line.append('\n').append(trace);
      }
      String text = line.toString();
      if (scanned) {
        CapturedLogs.add(name, text);
      }
      if (level.compareTo(Level.WARN) <= 0) {
        System.err.println("[" + name + "] " + text);
      }
    }
  }
}

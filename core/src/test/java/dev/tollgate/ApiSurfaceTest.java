package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The public API speaks only JDK types and Tollgate's own exported types. */
class ApiSurfaceTest {
  private static final List<String> EXPORTED =
      List.of("dev.tollgate", "dev.tollgate.keys", "dev.tollgate.servlet", "dev.tollgate.testing");

  static List<Class<?>> publicApiClasses() throws IOException, URISyntaxException {
    Path root =
        Path.of(Algorithm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String rel = root.relativize(p).toString().replace('\\', '/');
        if (!rel.endsWith(".class") || rel.contains("package-info")) {
          continue;
        }
        String name = rel.substring(0, rel.length() - ".class".length()).replace('/', '.');
        Class<?> c;
        try {
          c = Class.forName(name, false, ApiSurfaceTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
          throw new AssertionError(e);
        }
        if (EXPORTED.contains(c.getPackageName()) && isVisible(c)) {
          out.add(c);
        }
      }
    }
    return out;
  }

  private static boolean isVisible(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      if (!Modifier.isPublic(k.getModifiers())) {
        return false;
      }
    }
    return true;
  }

  @Test
  void publicSignatures_exposeNoJose4jOrInternalType() throws Exception {
    List<String> leaks = new ArrayList<>();
    List<Class<?>> classes = publicApiClasses();
    assertThat(classes).contains(JwtValidator.class, VerifiedJwt.class);
    for (Class<?> c : classes) {
      check(c.getGenericSuperclass(), c.getName() + " extends", leaks);
      for (Type t : c.getGenericInterfaces()) {
        check(t, c.getName() + " implements", leaks);
      }
      for (Method m : c.getDeclaredMethods()) {
        if (exposed(m.getModifiers())) {
          check(m.getGenericReturnType(), c.getName() + "." + m.getName(), leaks);
          checkParameters(m, c.getName() + "." + m.getName(), leaks);
        }
      }
      for (Constructor<?> k : c.getDeclaredConstructors()) {
        if (exposed(k.getModifiers())) {
          checkParameters(k, c.getName() + ".<init>", leaks);
        }
      }
      for (Field f : c.getDeclaredFields()) {
        if (exposed(f.getModifiers())) {
          check(f.getGenericType(), c.getName() + "." + f.getName(), leaks);
        }
      }
    }
    assertThat(leaks).isEmpty();
  }

  @Test
  void publicClasses_areFinalOrInterfacesOrEnums() throws Exception {
    for (Class<?> c : publicApiClasses()) {
      boolean ok =
          c.isInterface() || c.isEnum() || Modifier.isFinal(c.getModifiers()) || c.isAnnotation();
      assertThat(ok).as(c.getName()).isTrue();
    }
  }

  private static boolean exposed(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static void checkParameters(Executable e, String where, List<String> leaks) {
    for (Type t : e.getGenericParameterTypes()) {
      check(t, where, leaks);
    }
    for (Type t : e.getGenericExceptionTypes()) {
      check(t, where, leaks);
    }
  }

  private static void check(Type type, String where, List<String> leaks) {
    if (type == null) {
      return;
    }
    String name = type.getTypeName();
    if (name.contains("org.jose4j") || name.contains("dev.tollgate.internal")) {
      leaks.add(where + " exposes " + name);
    }
  }
}

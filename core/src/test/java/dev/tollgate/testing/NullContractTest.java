package dev.tollgate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tollgate.Algorithm;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every public method of the kit throws {@link NullPointerException} for a {@code null} argument
 * that is not {@code @Nullable}, and never returns {@code null}.
 */
class NullContractTest {
  private static final List<Class<?>> PUBLIC_TYPES =
      List.of(
          TestIssuer.class,
          TestIssuer.Builder.class,
          TokenBuilder.class,
          AttackSuite.class,
          AttackSuite.Builder.class,
          AttackSuite.Attack.class);

  private static final TestIssuer ISSUER = TestIssuer.create(Algorithm.ES256);

  static Stream<Arguments> nonNullParameters() {
    List<Arguments> out = new ArrayList<>();
    for (Method m : publicMethods()) {
      Class<?>[] types = m.getParameterTypes();
      for (int i = 0; i < types.length; i++) {
        boolean nullable = m.getAnnotatedParameterTypes()[i].isAnnotationPresent(Nullable.class);
        if (!types[i].isPrimitive() && !nullable) {
          out.add(Arguments.of(describe(m) + " #" + i, m, i));
        }
      }
    }
    return out.stream();
  }

  private static List<Method> publicMethods() {
    List<Method> out = new ArrayList<>();
    for (Class<?> c : PUBLIC_TYPES) {
      for (Method m : c.getDeclaredMethods()) {
        if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic()) {
          out.add(m);
        }
      }
    }
    return out;
  }

  private static String describe(Method m) {
    return m.getDeclaringClass().getSimpleName() + "." + m.getName();
  }

  @Test
  void everyPublicClassIsFinal() {
    for (Class<?> c : PUBLIC_TYPES) {
      assertThat(Modifier.isFinal(c.getModifiers())).as(c.getName()).isTrue();
    }
  }

  @Test
  void theKitHasNullableParametersOnlyWhereDocumented() {
    List<String> nullable = new ArrayList<>();
    for (Method m : publicMethods()) {
      for (int i = 0; i < m.getParameterCount(); i++) {
        if (m.getAnnotatedParameterTypes()[i].isAnnotationPresent(Nullable.class)) {
          nullable.add(describe(m) + " #" + i);
        }
      }
    }
    assertThat(nullable)
        .containsExactlyInAnyOrder("TokenBuilder.claim #1", "TokenBuilder.header #1");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nonNullParameters")
  void nullArgument_throwsNullPointer(String name, Method method, int index) throws Exception {
    Object receiver = Modifier.isStatic(method.getModifiers()) ? null : receiver(method);
    Class<?>[] types = method.getParameterTypes();
    @Nullable Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      args[i] = i == index ? null : sample(types[i]);
    }

    Throwable thrown = catchThrowable(() -> method.invoke(receiver, args));

    assertThat(thrown).as(name).isInstanceOf(InvocationTargetException.class);
    Throwable cause = thrown.getCause();
    assertThat(cause).as(name).isInstanceOf(NullPointerException.class);
    assertThat(cause.getMessage()).as(name).isNotBlank();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("publicMethodsWithSamples")
  void publicMethods_neverReturnNull(String name, Method method) throws Exception {
    Object receiver = Modifier.isStatic(method.getModifiers()) ? null : receiver(method);
    Class<?>[] types = method.getParameterTypes();
    @Nullable Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      args[i] = sample(types[i]);
    }
    Object result;
    try {
      result = method.invoke(receiver, args);
    } catch (InvocationTargetException e) {
      // Methods that refuse an ES256 issuer or the sample values throw instead of returning.
      assertThat(e.getCause())
          .as(name)
          .isInstanceOfAny(IllegalStateException.class, IllegalArgumentException.class);
      return;
    }
    if (method.getReturnType() != void.class) {
      assertThat(result).as(name).isNotNull();
    }
  }

  static Stream<Arguments> publicMethodsWithSamples() {
    return publicMethods().stream().map(m -> Arguments.of(describe(m), m));
  }

  private static Object receiver(Method method) {
    Class<?> c = method.getDeclaringClass();
    if (c == TestIssuer.class) {
      return ISSUER;
    }
    if (c == TestIssuer.Builder.class) {
      return TestIssuer.builder();
    }
    if (c == AttackSuite.class) {
      return AttackSuite.against(ISSUER);
    }
    if (c == AttackSuite.Builder.class) {
      return AttackSuite.builder(ISSUER);
    }
    if (c == AttackSuite.Attack.class) {
      return AttackSuite.against(ISSUER).attacks().get(0);
    }
    return ISSUER.token();
  }

  private static Object sample(Class<?> type) {
    if (type == String.class) {
      return "x";
    }
    if (type == String[].class) {
      return new String[] {"x"};
    }
    if (type == Algorithm.class) {
      return Algorithm.ES256;
    }
    if (type == Clock.class) {
      return Clock.systemUTC();
    }
    if (type == Instant.class) {
      return Instant.now();
    }
    if (type == Duration.class) {
      return Duration.ofMinutes(1);
    }
    if (type == byte[].class) {
      return new byte[32];
    }
    if (type == PrivateKey.class) {
      return ISSUER.privateKey();
    }
    if (type == int.class) {
      return 2000;
    }
    if (type == Object.class) {
      return "x";
    }
    if (type == TestIssuer.class) {
      return ISSUER;
    }
    if (type == dev.tollgate.JwtValidator.class) {
      return ISSUER.validator();
    }
    if (type == AttackSuite.Target.class) {
      return (AttackSuite.Target) ISSUER.validator()::validate;
    }
    if (type == java.util.function.Consumer.class) {
      return (java.util.function.Consumer<Object>) x -> {};
    }
    throw new AssertionError("no sample for " + type);
  }
}

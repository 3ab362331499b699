package dev.tollgate.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DemoTest {
  @Test
  void run_everyStepGivesTheExpectedAnswer() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int failures = Demo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String output = bytes.toString(StandardCharsets.UTF_8);
    assertThat(failures).as(output).isZero();
    assertThat(output).contains("17 of 17 steps as expected").doesNotContain("FAIL");
  }
}

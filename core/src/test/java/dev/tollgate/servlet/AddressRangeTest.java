package dev.tollgate.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressRangeTest {
  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
    "10.0.0.0/8, 10.255.1.2, true",
    "10.0.0.0/8, 11.0.0.1, false",
    "192.168.1.7, 192.168.1.7, true",
    "192.168.1.7, 192.168.1.8, false",
    "172.16.0.0/12, 172.31.255.255, true",
    "172.16.0.0/12, 172.32.0.0, false",
    "0.0.0.0/0, 8.8.8.8, true",
    "::1, 0:0:0:0:0:0:0:1, true",
    "::1, [::1], true",
    "2001:db8::/32, 2001:db8:ffff::1, true",
    "2001:db8::/32, 2001:db9::1, false",
    "10.0.0.0/8, ::ffff:10.1.1.1, true",
    "10.0.0.0/8, ::1, false",
    "fe80::/10, fe80::1%eth0, true",
    "192.0.2.1/32, 192.0.2.1, true",
    "192.0.2.1/32, 192.0.2.2, false",
    "::1/128, ::1, true",
    "10.0.0.0/8, a00::1, false",
    "::/0, 10.0.0.1, false",
    "0.0.0.0/0, ::1, false",
    "192.0.2.0/25, 192.0.2.127, true",
    "192.0.2.0/25, 192.0.2.128, false",
  })
  void contains(String range, String address, boolean expected) {
    byte[] a = AddressRange.parseLiteral(address);
    assertThat(a).isNotNull();
    assertThat(AddressRange.parse(range).contains(a)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "localhost",
        "example.com",
        "10.0.0",
        "10.0.0.256",
        "010.0.0.1",
        "10.0.0.1/33",
        "10.0.0.1/8",
        "10.0.0.0/",
        "10.0.0.0/x",
        "::1/129",
        "1.2.3.4.5",
        "",
        "g::1",
        "10.0.0.0/0008",
        "10.0.0.0/+8",
        "10.0.0.0/-1",
        "192.0.2.128/24",
        "192.0.2.1/31",
        "/8"
      })
  void notALiteral_orBadRange_isRefused(String text) {
    assertThatThrownBy(() -> AddressRange.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1.2.3",
        "127.1",
        "1.2.3.4-",
        "1.2.3x4",
        "1.2.3a",
        "1.2.3.a",
        "1.2.3.4a",
        "1..3.4",
        "1.2.3.",
        ".1.2.3",
        "1.2.3.4294967297",
        "1.2.3.0004",
        "01.2.3.4",
        "[::1",
        "1::]",
        "::1]",
        "%eth0"
      })
  void parseLiteral_anythingButAStrictLiteral_isNull(String text) {
    assertThat(AddressRange.parseLiteral(text)).isNull();
  }

  @Test
  void parse_widestPrefixes_accepted() {
    assertThat(AddressRange.parse("0.0.0.0/0").contains(new byte[4])).isTrue();
    assertThat(AddressRange.parse("::/128").contains(new byte[16])).isTrue();
    assertThat(AddressRange.parse("2001:db8::/032")).hasToString("2001:db8::/032");
  }

  @Test
  void hostNames_areNeverLookedUp() {
    assertThat(AddressRange.parseLiteral("localhost")).isNull();
    assertThat(AddressRange.parseLiteral("a.b")).isNull();
    assertThat(AddressRange.parseLiteral("face:b00c")).isNull(); // not a valid IPv6 literal
    assertThat(AddressRange.parseLiteral(".:1")).isNull();
  }

  @Test
  void loopback() {
    assertThat(AddressRange.isLoopback(AddressRange.parseLiteral("127.0.0.1"))).isTrue();
    assertThat(AddressRange.isLoopback(AddressRange.parseLiteral("127.255.0.9"))).isTrue();
    assertThat(AddressRange.isLoopback(AddressRange.parseLiteral("::1"))).isTrue();
    assertThat(AddressRange.isLoopback(AddressRange.parseLiteral("::2"))).isFalse();
    assertThat(AddressRange.isLoopback(AddressRange.parseLiteral("128.0.0.1"))).isFalse();
    assertThat(AddressRange.isLoopback(AddressRange.parseLiteral("::ffff:127.0.0.1"))).isTrue();
    assertThat(AddressRange.isLoopback(AddressRange.parseLiteral("2001:db8::1"))).isFalse();
    assertThat(AddressRange.isLoopback(AddressRange.parseLiteral("1::1"))).isFalse();
  }
}

package dev.tollgate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtValidator;
import dev.tollgate.VerifiedJwt;
import dev.tollgate.testing.TestIssuer;
import org.junit.jupiter.api.Test;

class AuthenticatedRequestTest {
  private static final TestIssuer ISSUER = TestIssuer.create(Algorithm.ES256);
  private static final JwtValidator VALIDATOR = ISSUER.validator();

  @Test
  void withoutSubject_noPrincipalAndNoRemoteUser() {
    VerifiedJwt jwt = VALIDATOR.validate(ISSUER.token().withoutClaim("sub").sign());
    AuthenticatedRequest r = new AuthenticatedRequest(new FakeHttp.Request().proxy(), jwt, true);
    assertThat(r.getUserPrincipal()).isNull();
    assertThat(r.getRemoteUser()).isNull();
    assertThat(r.getAuthType()).isEqualTo("Bearer");
  }

  @Test
  void roles_onlyWhenAsked_andNeverForNull() {
    VerifiedJwt jwt = VALIDATOR.validate(ISSUER.token().scope("a").sign());
    AuthenticatedRequest roles =
        new AuthenticatedRequest(new FakeHttp.Request().proxy(), jwt, true);
    AuthenticatedRequest none =
        new AuthenticatedRequest(new FakeHttp.Request().proxy(), jwt, false);
    assertThat(roles.isUserInRole("a")).isTrue();
    assertThat(roles.isUserInRole(null)).isFalse();
    assertThat(none.isUserInRole("a")).isFalse();
  }

  @Test
  void principal_equalByName() {
    AuthenticatedRequest.SubjectPrincipal alice =
        new AuthenticatedRequest.SubjectPrincipal("alice");
    assertThat(alice)
        .isEqualTo(new AuthenticatedRequest.SubjectPrincipal("alice"))
        .isNotEqualTo(new AuthenticatedRequest.SubjectPrincipal("bob"))
        .isNotEqualTo("alice")
        .hasSameHashCodeAs(new AuthenticatedRequest.SubjectPrincipal("alice"))
        .hasToString("SubjectPrincipal[alice]");
    assertThat(alice.hashCode()).isEqualTo("alice".hashCode());
  }
}

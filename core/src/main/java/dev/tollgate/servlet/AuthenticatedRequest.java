package dev.tollgate.servlet;

import dev.tollgate.VerifiedJwt;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import org.jspecify.annotations.Nullable;

/**
 * The request as the application sees it after the filter: the token's subject is the user, and,
 * when configured, its scopes are the user's roles.
 */
final class AuthenticatedRequest extends HttpServletRequestWrapper {
  /** What {@link #getAuthType()} returns. */
  static final String AUTH_TYPE = "Bearer";

  private final VerifiedJwt jwt;
  private final @Nullable Principal principal;
  private final boolean scopesAsRoles;

  AuthenticatedRequest(HttpServletRequest request, VerifiedJwt jwt, boolean scopesAsRoles) {
    super(request);
    this.jwt = jwt;
    String subject = jwt.subject().orElse(null);
    this.principal = subject == null ? null : new SubjectPrincipal(subject);
    this.scopesAsRoles = scopesAsRoles;
  }

  @Override
  public @Nullable Principal getUserPrincipal() {
    return principal;
  }

  @Override
  public @Nullable String getRemoteUser() {
    return principal == null ? null : principal.getName();
  }

  @Override
  public String getAuthType() {
    return AUTH_TYPE;
  }

  @Override
  public boolean isUserInRole(String role) {
    return scopesAsRoles && role != null && jwt.scopes().contains(role);
  }

  /** The token's subject as a principal; equal when the subjects are. */
  static final class SubjectPrincipal implements Principal {
    private final String name;

    SubjectPrincipal(String name) {
      this.name = name;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof SubjectPrincipal && ((SubjectPrincipal) o).name.equals(name);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }

    @Override
    public String toString() {
      return "SubjectPrincipal[" + name + "]";
    }
  }
}

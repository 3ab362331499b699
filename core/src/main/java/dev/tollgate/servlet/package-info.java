/**
 * A Jakarta Servlet 6.0 filter that guards an API with bearer tokens (RFC 6750): {@link
 * dev.tollgate.servlet.BearerTokenFilter} takes the token from the {@code Authorization} header
 * (or, when asked, a cookie or the form body), validates it with a {@link
 * dev.tollgate.JwtValidator}, checks the scopes each route requires, and answers every refusal
 * itself with the matching status and {@code WWW-Authenticate} challenge.
 *
 * <p>The servlet API is a {@code provided} dependency of {@code tollgate-core}: the container
 * supplies it; applications that do not use this package need no servlet jar.
 */
@NullMarked
package dev.tollgate.servlet;

import org.jspecify.annotations.NullMarked;

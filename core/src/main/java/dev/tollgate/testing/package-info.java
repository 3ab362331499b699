/**
 * A test kit for Tollgate users' unit tests and Tollgate's own: {@link
 * dev.tollgate.testing.TestIssuer} mints real tokens with generated keys, valid by default and
 * broken on purpose in one call each, and hands out the matching key set and validator; {@link
 * dev.tollgate.testing.TokenBuilder} edits one token's header and claims before it is signed;
 * {@link dev.tollgate.testing.JwksServer} publishes an issuer's keys and metadata on a loopback
 * HTTP server that counts requests and fails on demand, for tests of remote keys; {@link
 * dev.tollgate.testing.AttackSuite} presents a catalogue of known attacks to a validator and
 * asserts, in one call, that it refuses each for the right reason.
 *
 * <p>It ships inside {@code tollgate-core} and needs nothing beyond the JDK at run time.
 *
 * <p><b>Security:</b> this package is for tests only; never use it to issue tokens in production.
 * Its keys are throwaway, generated per JVM and shared by every issuer of a kind; its HMAC secrets
 * are handed out by {@link dev.tollgate.testing.TestIssuer#secret()}; its broken tokens are real
 * attacks (algorithm confusion, embedded keys, unsigned tokens) that a validator must refuse; its
 * key server speaks plain HTTP.
 */
@NullMarked
package dev.tollgate.testing;

import org.jspecify.annotations.NullMarked;

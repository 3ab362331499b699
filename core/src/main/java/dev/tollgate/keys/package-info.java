/**
 * Where trusted keys come from: the {@link dev.tollgate.keys.KeyResolver} SPI and its sources, keys
 * known at start-up (the factories of {@code KeyResolver}) and keys an identity provider publishes
 * ({@link dev.tollgate.keys.RemoteJwks}, with discovery and {@link dev.tollgate.keys.KeyEvents}).
 */
@NullMarked
package dev.tollgate.keys;

import org.jspecify.annotations.NullMarked;

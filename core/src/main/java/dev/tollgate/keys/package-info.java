/** Where trusted keys come from: the {@link dev.tollgate.keys.KeyResolver} SPI and its sources. */
@NullMarked
package dev.tollgate.keys;

import org.jspecify.annotations.NullMarked;

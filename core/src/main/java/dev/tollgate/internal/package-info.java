/** Implementation details; not an API, may change at any time. */
@NullMarked
package dev.tollgate.internal;

import org.jspecify.annotations.NullMarked;

/** Tollgate: JWT validation where nothing is trusted until every check has passed. */
@NullMarked
package dev.tollgate;

import org.jspecify.annotations.NullMarked;

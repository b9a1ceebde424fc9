/** Implementation of the CDI integration; not an API, may change in any release. */
@NullMarked
package dev.concurrencysafe.cdi.internal;

import org.jspecify.annotations.NullMarked;

/**
 * The one-command demo: the seed article's scenarios against a real Redis, side by side with a
 * seed-style SETNX/DEL helper, printed as a short report. Entry point: {@link
 * dev.concurrencysafe.examples.demo.Demo}.
 */
@NullMarked
package dev.concurrencysafe.examples.demo;

import org.jspecify.annotations.NullMarked;

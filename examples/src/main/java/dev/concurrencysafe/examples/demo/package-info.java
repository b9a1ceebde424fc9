/**
 * The one-command demo: classic duplicate-request scenarios against a real Redis, side by side with
 * a naive SETNX/DEL helper, printed as a short report. Entry point: {@link
 * dev.concurrencysafe.examples.demo.Demo}.
 */
@NullMarked
package dev.concurrencysafe.examples.demo;

import org.jspecify.annotations.NullMarked;

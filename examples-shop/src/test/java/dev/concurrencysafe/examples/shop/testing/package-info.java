/**
 * What the runtimes' tests of the shop share: a payment that holds the charge, and the purchase
 * requests sent over real HTTP.
 */
@NullMarked
package dev.concurrencysafe.examples.shop.testing;

import org.jspecify.annotations.NullMarked;

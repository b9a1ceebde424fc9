package dev.concurrencysafe.cdi.stereotype;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import jakarta.enterprise.inject.Stereotype;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** A stereotype that builds on {@link OrderGuard} but declares its own lock, which wins. */
@Stereotype
@OrderGuard
@ConcurrencySafe(
    key = "lock:priority:{orderId}",
    blockedMessage = "this priority order is being placed")
@Retention(RUNTIME)
@Target(TYPE)
public @interface PriorityOrderGuard {}

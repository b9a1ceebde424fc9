package dev.concurrencysafe.cdi.stereotype;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Stereotype;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** An application's stereotype: application scoped, one lock per order. */
@Stereotype
@ApplicationScoped
@ConcurrencySafe(key = "lock:order:{orderId}", blockedMessage = "this order is being placed")
@Retention(RUNTIME)
@Target(TYPE)
public @interface OrderGuard {}

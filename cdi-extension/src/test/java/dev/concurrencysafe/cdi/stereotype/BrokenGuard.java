package dev.concurrencysafe.cdi.stereotype;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import jakarta.enterprise.inject.Stereotype;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** A stereotype whose key names a parameter its beans' methods do not have. */
@Stereotype
@ConcurrencySafe(key = "lock:broken:{customerId}", ttl = "0s")
@Retention(RUNTIME)
@Target(TYPE)
public @interface BrokenGuard {}

package dev.concurrencysafe.cdi.stereotype;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.enterprise.inject.Stereotype;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** A stereotype that gets its lock from another stereotype. */
@Stereotype
@OrderGuard
@Retention(RUNTIME)
@Target(TYPE)
public @interface AuditedOrderGuard {}

package dev.concurrencysafe.examples.quarkus;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import jakarta.enterprise.inject.Stereotype;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** A stereotype carrying the lock: every business method of a bean it marks is guarded. */
@Stereotype
@ConcurrencySafe(key = "lock:report:{id}", blockedMessage = "Report already running")
@Retention(RUNTIME)
@Target(TYPE)
public @interface ReportGuard {}

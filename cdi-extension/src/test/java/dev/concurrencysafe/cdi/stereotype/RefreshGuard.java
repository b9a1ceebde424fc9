package dev.concurrencysafe.cdi.stereotype;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import jakarta.enterprise.inject.Stereotype;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** A second stereotype with a different lock, to combine with {@link OrderGuard}. */
@Stereotype
@ConcurrencySafe(key = "lock:refresh:{orderId}", cooldown = "10m")
@Retention(RUNTIME)
@Target(TYPE)
public @interface RefreshGuard {}

package dev.concurrencysafe.examples.payara;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * Serves the resources at the context root (a Jakarta EE server needs the application class).
 *
 * <p>Thread-safety: stateless.
 */
@ApplicationPath("/")
public class ShopApplication extends Application {}

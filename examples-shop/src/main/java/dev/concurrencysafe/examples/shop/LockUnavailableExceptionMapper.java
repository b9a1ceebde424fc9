package dev.concurrencysafe.examples.shop;

import dev.concurrencysafe.LockUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Redis unreachable is not a duplicate: the library failed closed and the work did not run, so the
 * client may retry later (HTTP 503). The exception's details stay in the server log.
 *
 * <p>Thread-safety: stateless.
 */
@Provider
@ApplicationScoped
public class LockUnavailableExceptionMapper implements ExceptionMapper<LockUnavailableException> {

  private static final System.Logger LOG =
      System.getLogger(LockUnavailableExceptionMapper.class.getName());

  @Override
  public Response toResponse(LockUnavailableException e) {
    // The core's message names the key and the cause, never a password.
    LOG.log(System.Logger.Level.WARNING, "503 for a request: {0}", e.getMessage());
    return Response.status(Response.Status.SERVICE_UNAVAILABLE)
        .type(MediaType.TEXT_PLAIN_TYPE)
        .header("Retry-After", "5")
        .entity("Temporarily unavailable, please try again shortly.")
        .build();
  }
}

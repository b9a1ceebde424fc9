package dev.concurrencysafe.examples.shop;

import dev.concurrencysafe.ConcurrencyException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A duplicate request is a conflict with the request already in progress: HTTP 409 with the blocked
 * message, meant for the user ("Your purchase ... is already being processed.").
 *
 * <p>Thread-safety: stateless.
 */
@Provider
@ApplicationScoped
public class ConcurrencyExceptionMapper implements ExceptionMapper<ConcurrencyException> {

  @Override
  public Response toResponse(ConcurrencyException e) {
    return Response.status(Response.Status.CONFLICT)
        .type(MediaType.TEXT_PLAIN_TYPE)
        .entity(e.getMessage())
        .build();
  }
}

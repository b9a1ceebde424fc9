package dev.concurrencysafe.examples.shop;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /purchases} with form fields {@code userId} and {@code ticketId}: 201 Created with
 * the order's location, 409 Conflict with a message when the same purchase is already running, 400
 * when a field is missing.
 *
 * <p>Thread-safety: stateless; safe for concurrent requests.
 */
@Path("/purchases")
@ApplicationScoped
public class PurchaseResource {

  @Inject TicketSales sales;

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_PLAIN)
  public Response purchase(
      @FormParam("userId") @Nullable String userId,
      @FormParam("ticketId") @Nullable String ticketId) {
    if (userId == null || userId.isBlank() || ticketId == null || ticketId.isBlank()) {
      return Response.status(Response.Status.BAD_REQUEST)
          .entity(
              "form fields userId and ticketId are required, got userId="
                  + userId
                  + ", ticketId="
                  + ticketId)
          .build();
    }
    long order = sales.purchase(userId, ticketId);
    return Response.created(URI.create("/purchases/" + order))
        .entity("order " + order + ": ticket " + ticketId + " for user " + userId)
        .build();
  }
}

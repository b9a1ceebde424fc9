package dev.concurrencysafe.examples.shop.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Form {@code POST}s to a running shop's {@code /purchases} over real loopback HTTP/1.1, one at a
 * time or several identical ones at once.
 *
 * <p>Thread-safety: thread-safe (the JDK's HTTP client is).
 */
public final class PurchaseRequests {

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final URI purchases;
  private final Duration timeout;

  /**
   * Requests to {@code purchases} (the endpoint's full address); each answer is awaited at most
   * {@code timeout} (generous: a loaded 2-core box).
   */
  public PurchaseRequests(URI purchases, Duration timeout) {
    this.purchases = purchases;
    this.timeout = timeout;
  }

  /** Buys {@code ticketId} for {@code userId} and waits for the answer. */
  public HttpResponse<String> purchase(String userId, String ticketId)
      throws IOException, InterruptedException {
    return post(form(userId, ticketId));
  }

  /** Posts {@code formBody} as it is (e.g. with a field missing) and waits for the answer. */
  public HttpResponse<String> post(String formBody) throws IOException, InterruptedException {
    return HTTP.send(request(formBody), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Sends {@code requests} identical purchases at once; {@code conflictsSeen} counts down on each
   * 409 as it arrives (a held payment can wait on it), before {@link InFlight#answers} is called.
   */
  public InFlight purchaseAtOnce(
      int requests, String userId, String ticketId, CountDownLatch conflictsSeen) {
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      responses.add(
          HTTP.sendAsync(request(form(userId, ticketId)), HttpResponse.BodyHandlers.ofString())
              .whenComplete(
                  (response, error) -> {
                    if (response != null && response.statusCode() == 409) {
                      conflictsSeen.countDown();
                    }
                  }));
    }
    return new InFlight(responses, timeout);
  }

  private HttpRequest request(String formBody) {
    return HttpRequest.newBuilder(purchases)
        .timeout(timeout)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(formBody))
        .build();
  }

  private static String form(String userId, String ticketId) {
    return "userId=" + userId + "&ticketId=" + ticketId;
  }

  /**
   * Purchases sent at once whose answers are still coming.
   *
   * <p>Thread-safety: call {@link #answers} from one thread.
   */
  public static final class InFlight {

    private final List<CompletableFuture<HttpResponse<String>>> responses;
    private final Duration timeout;

    private InFlight(List<CompletableFuture<HttpResponse<String>>> responses, Duration timeout) {
      this.responses = responses;
      this.timeout = timeout;
    }

    /** Waits for every answer, each at most the requests' timeout, in the order they were sent. */
    public Answers answers() throws InterruptedException, ExecutionException, TimeoutException {
      List<Integer> statuses = new ArrayList<>();
      List<String> conflictBodies = new ArrayList<>();
      for (CompletableFuture<HttpResponse<String>> future : responses) {
        HttpResponse<String> response = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        statuses.add(response.statusCode());
        if (response.statusCode() == 409) {
          conflictBodies.add(response.body());
        }
      }
      return new Answers(List.copyOf(statuses), List.copyOf(conflictBodies));
    }
  }

  /**
   * The answers' status codes and the bodies of the 409s.
   *
   * <p>Thread-safety: immutable.
   */
  public record Answers(List<Integer> statuses, List<String> conflictBodies) {

    /** How many answers had {@code status}. */
    public long count(int status) {
      return statuses.stream().filter(s -> s == status).count();
    }

    /** The 409s' bodies without repeats (one element when every duplicate got the same message). */
    public List<String> distinctConflictBodies() {
      return conflictBodies.stream().distinct().toList();
    }
  }
}

package readme;

/** The annotation block's return type (the application's own). */
public record Receipt(String userId, String ticketId) {}

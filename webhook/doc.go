// Package webhook tells users' endpoints about their links: the endpoints
// themselves (Service: create, list, change, delete, deliveries log, test
// ping), the Dispatcher that delivers the outbox the stores write in the
// transaction of each change, Standard Webhooks signatures (Sign), the
// retry schedule (Schedule) and an HTTP client that reaches only globally
// routable addresses (NewClient).
//
// Delivery is at least once: an event is deleted from the outbox only in
// the transaction that records its successful attempt, so a crash between
// sending and recording sends it again (after the claim's lease). Every
// attempt of one event carries the same webhook-id, by which receivers
// de-duplicate.
package webhook

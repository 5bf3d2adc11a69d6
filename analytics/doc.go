// Package analytics turns raw clicks into stored click events and stored
// rollups into the analytics summary.
//
// Enrichment (Enricher) runs off the redirect's hot path, in the click
// pipeline: it classifies the user agent (browser, OS, device, bot), reduces
// the referrer to its host, looks up the country of the client IP and
// replaces the IP with a visitor hash that is keyed by the server secret and
// changes every UTC day, so the raw IP never reaches the database.
//
// The Shipper moves clicks from the local spool (a shortener.ClickSource)
// to the next hop (a shortener.ClickWriter: the SQL store in embedded
// mode, the Redis stream in Redis mode), enriching them on the way and
// acknowledging a batch only
// after the sink took it, so nothing is lost and nothing is dropped on a
// failing sink; PipelineMetrics counts every stage.
//
// The summary (BuildSummary) is built from the per-day rollups that the
// click store keeps, never from raw events, so it stays cheap however many
// clicks a link has.
package analytics

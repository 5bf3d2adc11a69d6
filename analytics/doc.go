// Package analytics turns raw clicks into stored click events and stored
// rollups into the analytics summary.
//
// Enrichment (Enricher) runs off the redirect's hot path, in the click
// pipeline (the pipeline package's shipper calls it): it classifies the
// user agent (browser, OS, device, bot), reduces the referrer to its host,
// looks up the country of the client IP (a shortener.CountryLookup, such
// as the geoip package) and replaces the IP with a visitor hash that is
// keyed by the server secret and changes every UTC day, so the raw IP
// never reaches the database.
//
// The summary (BuildRangeSummary) is built from the per-day rollups that the
// click store keeps, never from raw events, so it stays cheap however many
// clicks a link has.
package analytics

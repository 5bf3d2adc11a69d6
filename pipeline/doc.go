// Package pipeline moves clicks from the redirect's local spool to the
// click stream, and counts every stage of the click pipeline.
//
// The Shipper reads the spool (a shortener.ClickSource), enriches each
// batch (analytics.Enricher.Enrich, passed in as a function), writes it to
// its sink (a shortener.ClickStream: handed over in process in the embedded
// mode, a Redis stream otherwise) and acknowledges it to the spool only
// once the sink took it: a failing sink is retried with backoff for as
// long as it takes, so nothing is lost and nothing is dropped.
//
// Metrics is the Prometheus side of shortener.PipelineMetrics, which the
// spool, the shipper and the stream report to; CountWrites counts the
// writes that reach the click store.
package pipeline

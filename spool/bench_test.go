package spool

import "testing"

// BenchmarkRecordClick is the redirect's cost of keeping a click: one
// recorder at a time, so every click is its own write().
func BenchmarkRecordClick(b *testing.B) {
	s := mustOpen(b, b.TempDir(), Options{})
	c := testClick(1)
	b.ReportAllocs()
	for b.Loop() {
		s.RecordClick(c)
	}
	b.ReportMetric(float64(b.N)/float64(s.writes.Load()), "clicks/write")
}

// BenchmarkRecordClickParallel has many redirects at once (16 goroutines per
// CPU, as in a busy server) share writes through group commit. Run it with
// -cpu 1,2.
func BenchmarkRecordClickParallel(b *testing.B) {
	s := mustOpen(b, b.TempDir(), Options{})
	c := testClick(1)
	b.ReportAllocs()
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			s.RecordClick(c)
		}
	})
	b.ReportMetric(float64(b.N)/float64(s.writes.Load()), "clicks/write")
}

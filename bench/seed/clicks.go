package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/shortener-dev/shortener"
)

// clickPlan says which clicks to make: count clicks of one link spread
// evenly over the last days UTC days up to now, written batch at a time.
type clickPlan struct {
	linkID string
	count  int
	days   int
	batch  int
	now    time.Time
}

// Label pools of the made-up clicks: enough values in each dimension that
// every top-10 list of the summary is full and has a tail to cut.
var (
	referrers = []string{shortener.LabelDirect, "news.ycombinator.com", "www.google.com", "t.co",
		"www.reddit.com", "www.facebook.com", "www.linkedin.com", "duckduckgo.com", "lobste.rs",
		"www.bing.com", "mail.google.com", "slack.com", "github.com", "medium.com", "example.org"}
	browsers  = []string{"Chrome", "Chrome", "Chrome", "Safari", "Safari", "Firefox", "Edge", "Opera", shortener.LabelUnknown}
	systems   = []string{"Windows", "Windows", "Android", "Android", "iOS", "macOS", "Linux", shortener.LabelUnknown}
	devices   = []string{shortener.DeviceDesktop, shortener.DeviceDesktop, shortener.DeviceMobile, shortener.DeviceMobile, shortener.DeviceTablet, shortener.DeviceOther}
	countries = []string{"US", "US", "US", "DE", "GB", "FR", "IN", "BR", "JP", "CA", "NL", "ES", "IT",
		"PL", "SE", "AU", "KR", "MX", "CH", "AT", shortener.LabelUnknown}
)

// visitorPool is how many distinct visitors the clicks come from; a day's
// unique visitors are then in the thousands, as for a popular link.
const visitorPool = 20_000

// botShare is the fraction of clicks made by bots.
const botShare = 0.02

// seedClicks writes the plan's clicks oldest first, so that each batch
// touches the rollup rows of one or two days, as the live pipeline does.
// The random source is fixed: every run seeds the same distribution.
func seedClicks(ctx context.Context, store shortener.ClickStore, p clickPlan) error {
	rng := rand.New(rand.NewPCG(1, 2))
	today := p.now.Truncate(24 * time.Hour)
	first := today.AddDate(0, 0, -(p.days - 1))
	span := p.now.Sub(first)
	batch := make([]shortener.ClickEvent, 0, p.batch)
	for i := range p.count {
		// Evenly spaced over the span, so times only grow: the UUIDv7 ids
		// then append to the end of the primary-key index.
		at := first.Add(time.Duration(float64(span) * float64(i) / float64(p.count)))
		batch = append(batch, madeUpClick(rng, p.linkID, at))
		if len(batch) == p.batch || i == p.count-1 {
			if err := store.WriteClicks(ctx, batch); err != nil {
				return fmt.Errorf("write clicks %d-%d: %w", i+1-len(batch), i, err)
			}
			batch = batch[:0]
		}
	}
	return nil
}

func madeUpClick(rng *rand.Rand, linkID string, at time.Time) shortener.ClickEvent {
	pick := func(values []string) string { return values[rng.IntN(len(values))] }
	c := shortener.ClickEvent{
		ID:          shortener.NewIDAt(at),
		LinkID:      linkID,
		OccurredAt:  at,
		Referrer:    pick(referrers),
		Browser:     pick(browsers),
		OS:          pick(systems),
		Device:      pick(devices),
		Country:     pick(countries),
		VisitorHash: fmt.Sprintf("%016x", rng.Uint64N(visitorPool)*0x9E3779B97F4A7C15),
	}
	if rng.Float64() < botShare {
		c.IsBot = true
		c.Device = shortener.DeviceBot
		c.Browser = shortener.LabelUnknown
	}
	return c
}

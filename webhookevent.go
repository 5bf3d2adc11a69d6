package shortener

import (
	"encoding/json"
	"fmt"
	"time"
)

// The data of webhook events, in the form the outbox keeps them.

// EncodeLinkSnapshot is the stored data of a link event: the link as it
// was at the change, which the dispatcher renders as the API's Link object
// when it delivers (so that the payload is exactly what GET
// /api/v1/urls/{id} would have answered, short_url included). A password
// hash is not kept, only that there is one.
func EncodeLinkSnapshot(l *Link) []byte {
	c := *l
	if c.PasswordHash != "" {
		c.PasswordHash = snapshotPassword
	}
	b, err := json.Marshal(&c)
	if err != nil {
		// A Link has no field that json cannot encode.
		panic(fmt.Sprintf("encode link snapshot: %v", err))
	}
	return b
}

// snapshotPassword stands for a link's password hash in a snapshot.
const snapshotPassword = "(set)"

// DecodeLinkSnapshot reads what EncodeLinkSnapshot wrote.
func DecodeLinkSnapshot(b []byte) (*Link, error) {
	var l Link
	if err := json.Unmarshal(b, &l); err != nil {
		return nil, fmt.Errorf("decode link snapshot: %w", err)
	}
	return &l, nil
}

// EventClick is one click in a link.clicked event: the row of the clicks
// export, without IP address or visitor hash.
type EventClick struct {
	Time         time.Time `json:"time"`
	ReferrerHost string    `json:"referrer_host"` // "(direct)" without a referrer
	Country      string    `json:"country"`       // ISO 3166 alpha-2 or "unknown"
	Browser      string    `json:"browser"`
	OS           string    `json:"os"`
	Device       string    `json:"device"`
	IsBot        bool      `json:"is_bot"`
	Target       string    `json:"target"` // the URL the visitor was sent to
}

// EventClickOf returns the event row of a stored click.
func EventClickOf(c ClickEvent) EventClick {
	return EventClick{Time: c.OccurredAt.UTC(), ReferrerHost: c.Referrer, Country: c.Country, Browser: c.Browser,
		OS: c.OS, Device: c.Device, IsBot: c.IsBot, Target: c.Target}
}

// EventLinkRef names the link of a link.clicked event.
type EventLinkRef struct {
	ID        string `json:"id"`
	ShortCode string `json:"short_code"`
}

// ClickedData is the data of a link.clicked event.
type ClickedData struct {
	Link   EventLinkRef `json:"link"`
	Clicks []EventClick `json:"clicks"`
}

// PingData is the data of a ping event.
type PingData struct {
	WebhookID string `json:"webhook_id"`
}

// EncodeEventData is the stored form of ClickedData and PingData.
func EncodeEventData(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("encode event data: %v", err))
	}
	return b
}

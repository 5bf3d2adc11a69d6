package web

import (
	"net/url"
	"strings"
	"time"

	"github.com/shortener-dev/shortener"
)

// linkRow is a link as the list and the link page show it, with every
// number and date formatted once here rather than in the template.
type linkRow struct {
	ID, Code         string
	ShortURL         string // for the copy button and the href
	Display          string // the short URL without its scheme
	Host             string // Display up to the code ("sho.rt/"), after which a long one breaks
	Domain           string // the host of the link's domain
	QRQuery          string // "?domain=..." for a link on an added domain, for its QR code's URL
	Target           string // the full URL, for title and href
	TargetShort      string // the URL shortened in the middle
	Title            string
	Clicks           string
	Created, Expires string // "1 Dec 2026"; Expires "" when never
	CreatedISO       string // for <time datetime>
	State, StateText string // class and words: active, disabled, expired
	Active, Public   bool
	Anonymous        bool // made without an account (admins see these)
	Protected        bool // visitors type a password first
	Tags             []string
}

// targetLength is how much of a target URL a list row shows.
const targetLength = 48

func (a *App) linkRow(l *shortener.Link, now time.Time) linkRow {
	u := a.links.ShortURL(l)
	display := withoutScheme(u)
	row := linkRow{
		ID: l.ID, Code: l.ShortCode, ShortURL: u, Display: display, Host: strings.TrimSuffix(display, l.ShortCode),
		Target: l.OriginalURL, TargetShort: middleEllipsis(l.OriginalURL, targetLength),
		Clicks: thousands(l.ClickCount), Created: formatDay(l.CreatedAt),
		CreatedISO: l.CreatedAt.UTC().Format(time.RFC3339),
		Active:     l.IsActive, Public: l.IsPublic, Anonymous: l.OwnerID == nil,
		Protected: l.PasswordHash != "", Domain: l.Domain, Tags: l.Tags,
	}
	if l.DomainID != "" && l.DomainID != shortener.DefaultDomainID {
		row.QRQuery = "?domain=" + url.QueryEscape(l.Domain)
	}
	if l.Title != nil {
		row.Title = *l.Title
	}
	if l.ExpiresAt != nil {
		row.Expires = formatDateTime(*l.ExpiresAt)
	}
	row.State, row.StateText = linkState(l, now)
	return row
}

// linkState is the one state a link shows: a disabled link says so even
// when it has also expired, since enabling it is the next thing to do; a
// link whose start (valid_since) is still to come is not active yet.
func linkState(l *shortener.Link, now time.Time) (class, text string) {
	switch {
	case !l.IsActive:
		return "disabled", "Disabled"
	case l.Expired(now):
		return "expired", "Expired"
	case l.UsedUp():
		return "expired", "Used up" // its click limit: answers 410 as expired links do
	case l.ValidSince != nil && now.Before(*l.ValidSince):
		return "scheduled", "Scheduled" // answers 404 until its start
	}
	return "active", "Active"
}

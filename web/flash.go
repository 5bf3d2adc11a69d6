package web

import (
	"net/http"
	"strings"
	"time"
)

// A flash is the message a page shows once after a successful form post
// and its redirect (POST-redirect-GET). It travels in a short-lived cookie
// as a kind and an optional code or ID, never as text, so a planted cookie
// can only make the app say one of its own sentences.
type flash struct {
	Kind string
	Arg  string // a link ID or nothing, per kind
}

// flashTexts are the sentences of the flash kinds.
var flashTexts = map[string]string{
	"created":   "Your short link is ready:",
	"updated":   "Changes saved.",
	"enabled":   "Link enabled: its short URL redirects again.",
	"disabled":  "Link disabled: its short URL answers “not found” until you enable it.",
	"deleted":   "Link deleted.",
	"welcome":   "Welcome! Your account is ready; make your first short link below.",
	"loggedout": "You are logged out.",
	"ended":     "Your session has ended: log in again to go on.",
	"endedform": "Your session had ended, so what you sent was not saved: log in again, then send it again.",
	"name":      "Your name is saved.",
	"password":  "Password changed. Every other device where you were logged in is logged out.",
	"shortened": "", // the home page shows the link itself

	// API keys and webhooks.
	"keyrevoked":  "API key revoked: it stops working at once.",
	"hooksaved":   "Webhook saved.",
	"hookdeleted": "Webhook deleted.",
	"pinged":      "Test ping queued: it is sent within seconds. Reload to see it in the log below.",

	// Domains.
	"domainsaved":   "Domain saved: it serves on every instance at once.",
	"domaindeleted": "Domain deleted.",
}

// flashAge is long enough for the redirect, short enough not to surprise.
const flashAge = time.Minute

func (a *App) setFlash(w http.ResponseWriter, kind, arg string) {
	a.setCookie(w, flashCookie, kind+"."+arg, flashAge)
}

// parseFlash reads a flash cookie; nil when it is not one of ours.
func parseFlash(value string) *flash {
	kind, arg, _ := strings.Cut(value, ".")
	if _, ok := flashTexts[kind]; !ok || len(arg) > 64 || strings.ContainsFunc(arg, func(r rune) bool {
		return !isCodeRune(r)
	}) {
		return nil
	}
	return &flash{Kind: kind, Arg: arg}
}

func isCodeRune(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_' || r == '-'
}

// takeFlash returns the request's flash once and deletes its cookie.
func (a *App) takeFlash(w http.ResponseWriter, r *http.Request) *flash {
	v := visitOf(r)
	if v.flashSeen || v.flash == nil {
		return nil
	}
	v.flashSeen = true
	a.clearCookie(w, flashCookie)
	return v.flash
}

// flashView is a flash as the layout shows it; a created link comes with
// its short URL and a copy button.
type flashView struct {
	Text     string
	ShortURL string
	Display  string
}

func (a *App) flashView(r *http.Request, f *flash) *flashView {
	if f == nil || flashTexts[f.Kind] == "" {
		return nil
	}
	v := &flashView{Text: flashTexts[f.Kind]}
	if f.Kind == "created" && f.Arg != "" {
		// The new link's ID: its short URL is on its domain.
		l, err := a.links.Get(r.Context(), visitOf(r).user, f.Arg)
		if err != nil {
			return v
		}
		v.ShortURL = a.links.ShortURL(l)
		v.Display = withoutScheme(v.ShortURL)
	}
	return v
}

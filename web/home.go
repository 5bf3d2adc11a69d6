package web

import (
	"net/http"
	"strings"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/links"
)

// homeView is the home page: the shorten box, and the link just made.
type homeView struct {
	pageBase
	Form   *form
	Result *linkSummary
}

// linkSummary is a link as a result box shows it.
type linkSummary struct {
	ID, Code, ShortURL, Display, Target string
}

func (a *App) summarize(l *shortener.Link) *linkSummary {
	u := a.links.ShortURL(l)
	return &linkSummary{ID: l.ID, Code: l.ShortCode, ShortURL: u, Display: withoutScheme(u), Target: l.OriginalURL}
}

// home shows the shorten box; after a shorten (the "shortened" flash) it
// shows the new link below the box, which still holds the URL typed.
func (a *App) home(w http.ResponseWriter, r *http.Request) {
	vis := visitOf(r)
	if vis.user != nil {
		if err := a.admit(w, r, classUser, vis.user); err != nil {
			a.failPage(w, r, err)
			return
		}
	}
	v := &homeView{Form: newForm(nil, "original_url")}
	if f := a.takeFlash(w, r); f != nil && f.Kind == "shortened" {
		l, err := a.links.Get(r.Context(), vis.user, f.Arg)
		if err == nil {
			v.Result = a.summarize(l)
			v.Form.set("original_url", l.OriginalURL)
		} else if shortener.ErrorCode(err) != shortener.ENOTFOUND {
			a.logError(r, "load the new link", err)
		}
	} else {
		v.Flash = a.flashView(r, f)
	}
	// The bare page is the same for everyone and may be kept if it is
	// revalidated; a result or a signed-in header is nobody else's.
	w.Header().Add("Vary", "Cookie")
	v.cacheUsage = "no-cache"
	if v.Result != nil || vis.user != nil || vis.hasCookie {
		v.cacheUsage = "no-store"
	}
	a.render(w, r, http.StatusOK, "home", v)
}

// shorten makes a link from the home page: anonymous, or the signed-in
// user's. It counts against the user's bucket (the client IP's when
// signed out), like POST /api/v1/urls.
func (a *App) shorten(w http.ResponseWriter, r *http.Request) {
	vis := visitOf(r)
	f := newForm(r, "original_url")
	err := a.admit(w, r, classUser, vis.user)
	var l *shortener.Link
	if err == nil {
		l, err = a.links.Create(r.Context(), vis.user, links.CreateInput{OriginalURL: withScheme(f.Value("original_url"))})
	}
	if err != nil {
		status := a.explain(r, f, err)
		a.render(w, r, status, "home", &homeView{Form: f})
		return
	}
	a.setFlash(w, "shortened", l.ID)
	seeOther(w, r, "/")
}

// withScheme reads "example.com/page" as https://example.com/page: people
// paste addresses without the scheme, and https is the safe guess. An
// address with another scheme ("javascript:…", "mailto:…") is left as it
// is, so that the check says what is wrong with it (only http and https)
// rather than what is wrong with https://javascript:….
func withScheme(u string) string {
	if u == "" || strings.Contains(u, "://") || hasScheme(u) {
		return u
	}
	return "https://" + u
}

// hasScheme reports whether u starts with a URL scheme and a colon that is
// not a host's port ("example.com:8080/x" has none).
func hasScheme(u string) bool {
	scheme, rest, ok := strings.Cut(u, ":")
	if !ok || scheme == "" || strings.ContainsAny(scheme, "/?#") || (rest != "" && rest[0] >= '0' && rest[0] <= '9') {
		return false
	}
	for i, c := range scheme {
		letter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !letter && (i == 0 || !('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return true
}

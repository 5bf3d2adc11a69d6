package web

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"strings"

	"github.com/shortener-dev/shortener"
)

//go:embed templates
var templateFS embed.FS

// pageNames are the templates in templates/, each defining "content" for
// the layout.
var pageNames = []string{"home", "login", "signup", "links", "link", "delete", "account", "error",
	"keys", "webhooks", "webhook", "confirm", "domains", "import"}

// parsePages parses each page together with the layout and the partials,
// so that every page has its own "content".
func parsePages(funcs template.FuncMap) (map[string]*template.Template, error) {
	base, err := template.New("").Funcs(funcs).ParseFS(templateFS,
		"templates/layout.html", "templates/partials.html", "templates/stats.html")
	if err != nil {
		return nil, err
	}
	pages := make(map[string]*template.Template, len(pageNames))
	for _, name := range pageNames {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name+".html")
		if err != nil {
			return nil, err
		}
		pages[name] = t
	}
	return pages, nil
}

func (a *App) templateFuncs() template.FuncMap {
	return template.FuncMap{
		"asset": a.assets.url,
		"field": field,
		"actions": func(l linkRow, csrf, ret string) linkActions {
			return linkActions{Link: l, CSRF: csrf, Return: ret}
		},
		"options": func(f *form, protected bool) optionsView {
			return optionsView{Form: f, Protected: protected}
		},
		"redirectChoices": func() []choice { return redirectChoices },
		"stateChoices":    func() []choice { return stateChoices },
		"sortChoices":     func() []choice { return sortChoices },
	}
}

// linkActions is what the enable/disable and delete forms of a link need.
type linkActions struct {
	Link   linkRow
	CSRF   string
	Return string
}

// pageBase is what the layout needs, embedded in every page's view.
type pageBase struct {
	Title      string // before " · Shortener" in <title>
	Nav        string // the current nav item: "links", "account", "login", "signup"
	User       *shortener.User
	SignedIn   bool // a session cookie came, though the page did not resume it
	CSRF       string
	Flash      *flashView
	Version    string
	cacheUsage string // Cache-Control; "no-store" when empty

	// HasKeys and HasWebhooks tell whether the app has those pages (nav
	// "keys" and "webhooks").
	HasKeys, HasWebhooks bool
	// HasDomains tells whether the nav links the domains page (admins).
	HasDomains bool
}

func (p *pageBase) base() *pageBase { return p }

// view is a page's data: a struct embedding pageBase.
type view interface{ base() *pageBase }

// render writes a page. It renders into a buffer first, so that a
// template error becomes a whole 500 page rather than half of one.
func (a *App) render(w http.ResponseWriter, r *http.Request, status int, name string, v view) {
	b := v.base()
	vis := visitOf(r)
	b.User, b.SignedIn = vis.user, vis.hasCookie
	b.CSRF = a.csrfToken(w, r)
	b.Version = a.version
	b.HasKeys, b.HasWebhooks = a.keys != nil, a.webhooks != nil
	b.HasDomains = a.domains != nil && vis.user.IsAdmin()
	if b.Flash == nil {
		b.Flash = a.flashView(r, a.takeFlash(w, r))
	}
	var buf bytes.Buffer
	buf.Grow(16 << 10)
	if err := a.pages[name].ExecuteTemplate(&buf, "layout", v); err != nil {
		a.logError(r, "render page", err)
		if name != "error" {
			a.errorPage(w, r, http.StatusInternalServerError, msgInternal)
		} else {
			http.Error(w, msgInternal, http.StatusInternalServerError)
		}
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", cmpOr(b.cacheUsage, "no-store"))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// fieldView is one form field as the templates draw it: its value, its
// error and the ids that tie them together (aria-describedby).
type fieldView struct {
	Name, Value, Error string
	Describe           string // ids of the hint and the error, for aria-describedby
}

// field returns the view of a form field; hints are the ids of the field's
// hint paragraphs.
func field(f *form, name string, hints ...string) fieldView {
	fv := fieldView{Name: name, Value: f.Value(name), Error: f.Error(name)}
	ids := hints
	if fv.Error != "" {
		ids = append(ids, name+"-error")
	}
	fv.Describe = strings.Join(ids, " ")
	return fv
}

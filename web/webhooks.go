package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/shortener-dev/shortener"
)

// webhooksView is the webhooks page: a new endpoint's secret (once, right
// after it was made), the create form, and the user's endpoints.
type webhooksView struct {
	pageBase
	Form    *form
	Events  []checkOption
	Created *newHookView
	Hooks   []hookRow
}

// newHookView is an endpoint just made, with its secret: the only time it
// is shown.
type newHookView struct {
	ID, URL, Secret string
}

// hookRow is an endpoint as the pages show it.
type hookRow struct {
	ID, URL, Events, Description, Created, StateText string
	Active                                           bool
}

// webhookView is one endpoint: its settings, the test ping and its
// deliveries log.
type webhookView struct {
	pageBase
	Hook       hookRow
	Form       *form
	Events     []checkOption
	EditOpen   bool
	Deliveries []deliveryRow
}

// deliveryRow is one attempt of the log.
type deliveryRow struct {
	When, WhenISO, Event, EventID, Attempt, Result, Error string
	OK                                                    bool
}

var (
	hookFields     = []string{"url", "events", "description"}
	hookEditFields = []string{"url", "events", "description", "is_active"}
)

// eventHints say when each event is sent.
var eventHints = map[string]string{
	shortener.EventLinkCreated: "a link of yours is made",
	shortener.EventLinkUpdated: "a link of yours is changed",
	shortener.EventLinkDeleted: "a link of yours is deleted",
	shortener.EventLinkClicked: "your links are clicked (up to 100 clicks per delivery, every few seconds)",
}

func eventOptions(checked []string) []checkOption {
	out := make([]checkOption, 0, len(shortener.WebhookEvents))
	for _, e := range shortener.WebhookEvents {
		out = append(out, checkOption{Value: e, Label: e, Hint: eventHints[e], Checked: slices.Contains(checked, e)})
	}
	return out
}

func hookRowOf(w *shortener.Webhook) hookRow {
	row := hookRow{ID: w.ID, URL: w.URL, Events: strings.Join(w.Events, ", "), Description: w.Description,
		Created: formatDay(w.CreatedAt), Active: w.IsActive, StateText: "Active"}
	if !w.IsActive {
		row.StateText = "Disabled"
	}
	return row
}

func (a *App) webhooksPage(w http.ResponseWriter, r *http.Request) {
	a.renderWebhooks(w, r, http.StatusOK, newForm(nil, hookFields...), shortener.WebhookEvents, nil)
}

func (a *App) renderWebhooks(w http.ResponseWriter, r *http.Request, status int, f *form, events []string, created *newHookView) {
	hooks, err := a.webhooks.List(r.Context(), visitOf(r).user)
	if err != nil {
		a.failPage(w, r, err)
		return
	}
	v := &webhooksView{pageBase: pageBase{Title: "Webhooks", Nav: "webhooks"}, Form: f, Events: eventOptions(events), Created: created}
	for _, h := range hooks {
		v.Hooks = append(v.Hooks, hookRowOf(h))
	}
	a.render(w, r, status, "webhooks", v)
}

// createWebhook adds an endpoint and shows its secret on the page it
// answers with (no redirect: the secret must not travel in a cookie).
func (a *App) createWebhook(w http.ResponseWriter, r *http.Request) {
	user := visitOf(r).user
	f := newForm(r, hookFields...)
	events := r.PostForm["events"]
	err := a.admit(w, r, classUser, user)
	var hook *shortener.Webhook
	if err == nil {
		hook, err = a.webhooks.Create(r.Context(), user, shortener.WebhookInput{
			URL: withScheme(f.Value("url")), Events: events, Description: f.Value("description")})
	}
	if err != nil {
		status := a.explain(r, f, listFieldsAsOne(err, "body.events"))
		a.renderWebhooks(w, r, status, f, events, nil)
		return
	}
	a.renderWebhooks(w, r, http.StatusOK, newForm(nil, hookFields...), shortener.WebhookEvents,
		&newHookView{ID: hook.ID, URL: hook.URL, Secret: hook.Secret})
}

func (a *App) webhookPage(w http.ResponseWriter, r *http.Request) {
	hook, err := a.webhooks.Get(r.Context(), visitOf(r).user, r.PathValue("id"))
	if err != nil {
		a.failPage(w, r, err)
		return
	}
	a.renderWebhook(w, r, http.StatusOK, hook, hookForm(hook), hook.Events)
}

// hookForm is the edit form filled in from h.
func hookForm(h *shortener.Webhook) *form {
	f := newForm(nil, hookEditFields...)
	f.set("url", h.URL)
	f.set("description", h.Description)
	if h.IsActive {
		f.set("is_active", "true")
	}
	return f
}

func (a *App) renderWebhook(w http.ResponseWriter, r *http.Request, status int, hook *shortener.Webhook, f *form, events []string) {
	log, err := a.webhooks.Deliveries(r.Context(), visitOf(r).user, hook.ID)
	if err != nil {
		a.failPage(w, r, err)
		return
	}
	v := &webhookView{pageBase: pageBase{Title: "Webhook", Nav: "webhooks"}, Hook: hookRowOf(hook), Form: f,
		Events: eventOptions(events), EditOpen: f.Failed()}
	for _, d := range log {
		row := deliveryRow{When: formatDateTime(d.CreatedAt), WhenISO: d.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"),
			Event: d.Event, EventID: d.EventID, Attempt: strconv.Itoa(d.Attempt), Error: d.Error, OK: d.DeliveredAt != nil}
		switch {
		case d.StatusCode != 0:
			row.Result = strconv.Itoa(d.StatusCode)
		default:
			row.Result = "no answer"
		}
		v.Deliveries = append(v.Deliveries, row)
	}
	a.render(w, r, status, "webhook", v)
}

// editWebhook saves the edit form: every field as the form shows it.
func (a *App) editWebhook(w http.ResponseWriter, r *http.Request) {
	user, id := visitOf(r).user, r.PathValue("id")
	f := newForm(r, hookEditFields...)
	events := r.PostForm["events"]
	err := a.admit(w, r, classUser, user)
	if err == nil {
		u, desc, active := withScheme(f.Value("url")), f.Value("description"), f.Value("is_active") == "true"
		_, err = a.webhooks.Update(r.Context(), user, id, shortener.WebhookUpdate{URL: &u, Events: &events,
			Description: &desc, IsActive: &active})
	}
	if shortener.ErrorCode(err) == shortener.EINVALID {
		hook, gerr := a.webhooks.Get(r.Context(), user, id)
		if gerr != nil {
			a.failPage(w, r, gerr)
			return
		}
		status := a.explain(r, f, listFieldsAsOne(err, "body.events"))
		a.renderWebhook(w, r, status, hook, f, events)
		return
	}
	if err != nil {
		a.failPage(w, r, err)
		return
	}
	a.setFlash(w, "hooksaved", "")
	seeOther(w, r, "/app/webhooks/"+id)
}

func (a *App) pingWebhook(w http.ResponseWriter, r *http.Request) {
	user, id := visitOf(r).user, r.PathValue("id")
	err := a.admit(w, r, classUser, user)
	if err == nil {
		err = a.webhooks.Ping(r.Context(), user, id)
	}
	if err != nil {
		a.failPage(w, r, err)
		return
	}
	a.setFlash(w, "pinged", "")
	seeOther(w, r, "/app/webhooks/"+id)
}

// deleteWebhook deletes an endpoint once confirmed.
func (a *App) deleteWebhook(w http.ResponseWriter, r *http.Request) {
	user, id := visitOf(r).user, r.PathValue("id")
	if !a.confirmed(w, r, id, confirmView{Heading: "Delete this webhook?",
		Message: "Its pending deliveries and its log are deleted with it. This cannot be undone.",
		Action:  "/app/webhooks/" + id + "/delete", Button: "Delete webhook", Return: "/app/webhooks/" + id},
		func() (string, error) {
			h, err := a.webhooks.Get(r.Context(), user, id)
			if err != nil {
				return "", err
			}
			return h.URL, nil
		}) {
		return
	}
	if err := a.webhooks.Delete(r.Context(), user, id); err != nil {
		a.failPage(w, r, err)
		return
	}
	a.setFlash(w, "hookdeleted", "")
	seeOther(w, r, "/app/webhooks")
}

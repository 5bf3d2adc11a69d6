package httpapi_test

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/shortener-dev/shortener"
)

func TestCreateLinkOptions(t *testing.T) {
	f := newFakes()
	f.links.link = &shortener.Link{ID: "0190a0f4-0000-7000-8000-0000000000aa", ShortCode: "abc"}
	body := `{"original_url":"https://example.com","redirect_type":307,"forward_query":true,` +
		`"valid_since":"2026-12-24T00:00:00Z","max_clicks":5,"password":"open sesame",` +
		`"rules":[{"url":"https://example.com/ios","device":["ios"],"country":["DE"]}],` +
		`"variants":[{"url":"https://a.example","weight":60},{"url":"https://b.example","weight":40}]}`
	w := serve(t, f.server(), "POST", "/api/v1/urls", body, bearer(adaToken)...)
	if w.Code != http.StatusCreated {
		t.Fatalf("create with options: %d %s", w.Code, w.Body)
	}
	in := f.links.create.Options
	if *in.RedirectType != 307 || !*in.ForwardQuery || in.ValidSince.Year() != 2026 || *in.MaxClicks != 5 ||
		*in.Password != "open sesame" || len(*in.Variants) != 2 {
		t.Fatalf("options handed to the service: %+v", in)
	}
	if want := []shortener.TargetRule{{URL: "https://example.com/ios", Devices: []string{"ios"}, Countries: []string{"DE"}}}; !reflect.DeepEqual(*in.Rules, want) {
		t.Fatalf("rules %+v", *in.Rules)
	}

	// Schema constraints answer 422 at the field.
	for body, location := range map[string]string{
		`{"original_url":"https://example.com","redirect_type":303}`:                                                  "body.redirect_type",
		`{"original_url":"https://example.com","max_clicks":0}`:                                                       "body.max_clicks",
		`{"original_url":"https://example.com","variants":[{"url":"https://a.example","weight":1}]}`:                  "body.variants",
		`{"original_url":"https://example.com","rules":null}`:                                                         "body.rules",
		`{"original_url":"https://example.com","forward_query":null}`:                                                 "body.forward_query",
		`{"original_url":"https://example.com","rules":[{"url":"https://a.example","device":null,"country":["DE"]}]}`: "body.rules[0].device",
	} {
		w := serve(t, f.server(), "POST", "/api/v1/urls", body, bearer(adaToken)...)
		p := decodeProblem(t, w, http.StatusUnprocessableEntity)
		found := false
		for _, e := range p.Errors {
			found = found || e.Location == location
		}
		if !found {
			t.Errorf("%s: errors %+v, want one at %s", body, p.Errors, location)
		}
	}
}

func TestPatchLinkOptions(t *testing.T) {
	f := newFakes()
	f.links.link = &shortener.Link{ID: "0190a0f4-0000-7000-8000-0000000000aa", ShortCode: "abc"}
	w := serve(t, f.server(), "PATCH", linkPath,
		`{"valid_since":null,"max_clicks":null,"password":null,"variants":null,"rules":[],"redirect_type":301}`, bearer(adaToken)...)
	if w.Code != http.StatusOK {
		t.Fatalf("patch: %d %s", w.Code, w.Body)
	}
	u := f.links.update
	if !u.ClearValidSince || !u.ClearMaxClicks || !u.ClearPassword || !u.ClearVariants || u.Rules == nil || len(*u.Rules) != 0 || *u.RedirectType != 301 {
		t.Fatalf("update handed to the service: %+v", u)
	}
	w = serve(t, f.server(), "PATCH", linkPath, `{"max_clicks":9,"password":"new pass"}`, bearer(adaToken)...)
	if w.Code != http.StatusOK || *f.links.update.MaxClicks != 9 || *f.links.update.Password != "new pass" || f.links.update.ClearMaxClicks {
		t.Fatalf("patch values: %d %+v", w.Code, f.links.update)
	}
	w = serve(t, f.server(), "PATCH", linkPath, `{"redirect_type":null}`, bearer(adaToken)...)
	decodeProblem(t, w, http.StatusUnprocessableEntity)
}

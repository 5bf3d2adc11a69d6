package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestE2EGeneralRules covers the "General rules" of API.md: content types,
// problem documents and status codes for malformed requests.
func TestE2EGeneralRules(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		acct := srv.newAccount(t)

		t.Run("malformed JSON is 400", func(t *testing.T) {
			r := srv.do(t, "POST", "/api/v1/urls", rawBody(`{"original_url": "https://example.com/"`),
				withHeader("Content-Type", "application/json"))
			expectProblem(t, r, http.StatusBadRequest)
			r = srv.do(t, "POST", "/api/v1/auth/login", rawBody(`not json`), withHeader("Content-Type", "application/json"))
			expectProblem(t, r, http.StatusBadRequest)
		})
		t.Run("text/plain is 415", func(t *testing.T) {
			r := srv.do(t, "POST", "/api/v1/urls", rawBody(`{"original_url": "https://example.com/"}`),
				withHeader("Content-Type", "text/plain"))
			expectProblem(t, r, http.StatusUnsupportedMediaType)
			r = srv.do(t, "POST", "/api/v1/auth/register", rawBody(`email=a@example.com`),
				withHeader("Content-Type", "application/x-www-form-urlencoded"))
			expectProblem(t, r, http.StatusUnsupportedMediaType)
		})
		t.Run("JSON without Content-Type is read as JSON", func(t *testing.T) {
			r := srv.do(t, "POST", "/api/v1/urls", rawBody(`{"original_url": "https://example.com/no-ct"}`))
			expectJSON(t, r, http.StatusCreated)
			if got := str(r.object(t)["original_url"]); got != "https://example.com/no-ct" {
				t.Errorf("original_url %q", got)
			}
			r = srv.do(t, "POST", "/api/v1/auth/login",
				rawBody(`{"email": "`+acct.email+`", "password": "`+acct.password+`"}`))
			expectJSON(t, r, http.StatusOK)
		})
		t.Run("unknown JSON field is 422 at body.foo", func(t *testing.T) {
			r := srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/", "foo": 1})
			expectValidation(t, r, "body.foo")
			r = srv.do(t, "POST", "/api/v1/auth/register", map[string]any{"email": randomEmail(), "password": e2ePassword, "foo": "x"})
			expectValidation(t, r, "body.foo")
			r = srv.do(t, "POST", "/api/v1/auth/login", map[string]any{"email": acct.email, "password": acct.password, "foo": "x"})
			expectValidation(t, r, "body.foo")
			r = srv.do(t, "POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": acct.refresh, "foo": "x"})
			expectValidation(t, r, "body.foo")
			r = srv.do(t, "POST", "/api/v1/auth/logout", map[string]any{"refresh_token": acct.refresh, "foo": "x"})
			expectValidation(t, r, "body.foo")
			l := srv.link(t, acct.access, "https://example.com/unknown-field")
			r = srv.do(t, "PATCH", "/api/v1/urls/"+str(l["id"]), map[string]any{"foo": "x"}, withToken(acct.access))
			expectValidation(t, r, "body.foo")
		})
		t.Run("wrong JSON type is 422", func(t *testing.T) {
			r := srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": 42})
			expectValidation(t, r, "body.original_url")
		})
		t.Run("missing required field is 422", func(t *testing.T) {
			r := srv.do(t, "POST", "/api/v1/urls", map[string]any{"title": "no url"})
			expectProblem(t, r, http.StatusUnprocessableEntity)
		})
		t.Run("query values of wrong type or range are 422", func(t *testing.T) {
			for _, q := range []string{"size=0", "size=101", "size=abc", "page=0", "page=abc", "size=-1"} {
				r := srv.do(t, "GET", "/api/v1/urls?"+q, nil, withToken(acct.access))
				expectProblem(t, r, http.StatusUnprocessableEntity)
			}
			l := srv.link(t, acct.access, "https://example.com/days")
			for _, q := range []string{"days=0", "days=366", "days=abc", "days=-5"} {
				r := srv.do(t, "GET", "/api/v1/analytics/"+str(l["short_code"])+"/summary?"+q, nil, withToken(acct.access))
				expectProblem(t, r, http.StatusUnprocessableEntity)
			}
		})
		t.Run("unknown API route is 404 problem", func(t *testing.T) {
			r := srv.do(t, "GET", "/api/v1/nope", nil)
			expectProblem(t, r, http.StatusNotFound)
			r = srv.do(t, "GET", "/api/v1/urls/x/y/z", nil)
			expectProblem(t, r, http.StatusNotFound)
		})
		t.Run("wrong method is 405 problem", func(t *testing.T) {
			r := srv.do(t, "PUT", "/api/v1/urls", map[string]any{"original_url": "https://example.com/"})
			expectProblem(t, r, http.StatusMethodNotAllowed)
			// RFC 9110 section 15.5.6: a 405 lists the allowed methods.
			if allow := r.Header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
				t.Errorf("%s: Allow %q, want GET and POST", r, allow)
			}
			r = srv.do(t, "DELETE", "/api/v1/auth/login", nil)
			expectProblem(t, r, http.StatusMethodNotAllowed)
		})
	})
}

// TestE2EBodyLimit: a body over MAX_BODY_BYTES (an import's over
// MAX_IMPORT_BYTES) is 413; one of exactly the limit is taken.
func TestE2EBodyLimit(t *testing.T) {
	t.Parallel()
	forEachBackendEnv(t, map[string]string{"MAX_BODY_BYTES": "512", "MAX_IMPORT_BYTES": "1024"}, func(t *testing.T, srv *testServer) {
		big := map[string]any{"original_url": "https://example.com/" + strings.Repeat("a", 600)}
		r := srv.do(t, "POST", "/api/v1/urls", big)
		expectProblem(t, r, http.StatusRequestEntityTooLarge)
		r = srv.do(t, "POST", "/api/v1/auth/register", map[string]any{"email": randomEmail(), "password": e2ePassword, "full_name": strings.Repeat("n", 600)})
		expectProblem(t, r, http.StatusRequestEntityTooLarge)
		// Without a Content-Length (chunked) the limit holds too.
		chunked := io.MultiReader(strings.NewReader(`{"original_url": "https://example.com/`), strings.NewReader(strings.Repeat("b", 2000)+`"}`))
		req, err := http.NewRequest("POST", srv.url+"/api/v1/urls", chunked)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := srv.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		discard(resp.Body)
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("chunked body over MAX_BODY_BYTES: status %d, want 413", resp.StatusCode)
		}
		// Under the limit the same call works.
		r = srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/" + strings.Repeat("a", 300)})
		expectJSON(t, r, http.StatusCreated)
		// The limit is the largest body taken: 512 bytes are, 513 are not.
		sized := func(n int) rawBody {
			head, tail := `{"original_url": "https://example.com/`, `"}`
			return rawBody(head + strings.Repeat("c", n-len(head)-len(tail)) + tail)
		}
		expectJSON(t, srv.do(t, "POST", "/api/v1/urls", sized(512)), http.StatusCreated)
		expectProblem(t, srv.do(t, "POST", "/api/v1/urls", sized(513)), http.StatusRequestEntityTooLarge)
		acct := srv.newAccount(t)
		csv := func(n int) rawBody {
			head := "original_url\nhttps://example.com/"
			return rawBody(head + strings.Repeat("d", n-len(head)))
		}
		importCSV := func(n int) *result {
			return srv.do(t, "POST", "/api/v1/urls/import", csv(n), withHeader("Content-Type", "text/csv"), withToken(acct.access))
		}
		if b := decodeBulk(t, importCSV(1024)); b.Created != 1 {
			t.Errorf("import of exactly MAX_IMPORT_BYTES: %+v, want one link created", b)
		}
		expectProblem(t, importCSV(1025), http.StatusRequestEntityTooLarge)

		// A Content-Length past the limit is refused at once, without
		// waiting for a body that may never come.
		conn, err := net.Dial("tcp", strings.TrimPrefix(srv.url, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
		fmt.Fprintf(conn, "POST /api/v1/urls HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99999999\r\n\r\n{\"original_url\": ")
		resp, err = http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("a Content-Length past the limit with the body still to come: %v", err)
		}
		discard(resp.Body)
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("a Content-Length past the limit: status %d, want 413", resp.StatusCode)
		}

		// A compressed body is a content coding the API does not take.
		for _, coding := range []string{"gzip", "br", "GZIP, identity"} {
			r := srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/coded"}, withHeader("Content-Encoding", coding))
			expectProblem(t, r, http.StatusUnsupportedMediaType)
		}
		r = srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/plain"}, withHeader("Content-Encoding", "identity"))
		expectJSON(t, r, http.StatusCreated)
	})
}

// TestE2ERequestID: X-Request-ID is echoed when valid, replaced when not,
// present on every response and in the logs of the request.
func TestE2ERequestID(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		l := srv.link(t, "", "https://example.com/rid")
		code := str(l["short_code"])
		paths := []struct{ method, path string }{
			{"GET", "/api/v1/health"},
			{"GET", "/healthz"},
			{"GET", "/api/v1/nope"},       // 404 problem
			{"GET", "/api/v1/auth/me"},    // 401
			{"GET", "/" + code},           // 302
			{"HEAD", "/" + code},          // 302
			{"GET", "/zzzzzzzzzzzz"},      // redirect 404
			{"GET", "/api/v1/qr/" + code}, // image
			{"PUT", "/api/v1/urls"},       // 405
			{"GET", "/api/v1/urls/" + str(l["id"])},
		}
		valid := []string{"abc-123", "x", strings.Repeat("r", 128), "!~#$%&'()*+,-./:;<=>?@[]^_`{|}"}
		for _, p := range paths {
			for _, id := range valid {
				r := srv.do(t, p.method, p.path, nil, withHeader("X-Request-ID", id))
				if got := r.Header.Get("X-Request-ID"); got != id {
					t.Errorf("%s: X-Request-ID %q, want the valid incoming %q echoed", r, got, id)
				}
			}
			invalid := []string{strings.Repeat("r", 129), "has space", "tab\there", "caf\xc3\xa9"}
			for _, id := range invalid {
				r := srv.do(t, p.method, p.path, nil, withHeader("X-Request-ID", id))
				if got := r.Header.Get("X-Request-ID"); got == id || got == "" {
					t.Errorf("%s: X-Request-ID %q for the invalid incoming %q, want a fresh one", r, got, id)
				}
			}
			r := srv.do(t, p.method, p.path, nil)
			if r.Header.Get("X-Request-ID") == "" {
				t.Errorf("%s: no X-Request-ID", r)
			}
		}
		// Two requests without an id get different ones.
		a := srv.do(t, "GET", "/healthz", nil).Header.Get("X-Request-ID")
		b := srv.do(t, "GET", "/healthz", nil).Header.Get("X-Request-ID")
		if a == b {
			t.Errorf("two requests got the same generated X-Request-ID %q", a)
		}

		// The request id appears in the logs of its request.
		marker := "e2e-log-" + strings.ReplaceAll(str(l["id"]), "-", "")
		srv.do(t, "GET", "/api/v1/urls/00000000-0000-0000-0000-000000000000", nil, withHeader("X-Request-ID", marker))
		waitFor(t, "the request id in the logs", func() bool { return strings.Contains(srv.logs.String(), marker) })
	})
}

// TestE2EAsteriskForm: "OPTIONS *" is answered by the service, with the
// headers of every response, not by net/http's bare 200; any other method
// with "*" is a 404 problem.
func TestE2EAsteriskForm(t *testing.T) {
	t.Parallel()
	srv := startServer(t, "embedded", nil)
	for _, c := range []struct {
		method string
		status int
	}{{"OPTIONS", http.StatusNoContent}, {"GET", http.StatusNotFound}} {
		conn, err := net.Dial("tcp", strings.TrimPrefix(srv.url, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
		fmt.Fprintf(conn, "%s * HTTP/1.1\r\nHost: x\r\nX-Request-ID: star-%s\r\nConnection: close\r\n\r\n", c.method, c.method)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("%s *: %v", c.method, err)
		}
		discard(resp.Body)
		conn.Close()
		if resp.StatusCode != c.status {
			t.Errorf("%s *: status %d, want %d", c.method, resp.StatusCode, c.status)
		}
		if got := resp.Header.Get("X-Request-ID"); got != "star-"+c.method {
			t.Errorf("%s *: X-Request-ID %q, want the incoming one", c.method, got)
		}
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s *: X-Content-Type-Options %q, want nosniff", c.method, got)
		}
		if c.method == "OPTIONS" && !strings.Contains(resp.Header.Get("Allow"), "PATCH") {
			t.Errorf("OPTIONS *: Allow %q, want the methods of the service", resp.Header.Get("Allow"))
		}
		if c.method == "GET" && resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("GET *: Content-Type %q, want a problem", resp.Header.Get("Content-Type"))
		}
	}
}

// TestE2EAppOtherMethods: a method that no page of /app takes is the web
// app's to answer (the way to the login page without a session, a 405
// page with one), never the mux's redirect to /app/.
func TestE2EAppOtherMethods(t *testing.T) {
	t.Parallel()
	srv := startServer(t, "embedded", nil)
	for _, method := range []string{"PUT", "PATCH", "DELETE", "OPTIONS"} {
		r := srv.do(t, method, "/app", nil)
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/app/login") ||
			r.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("%s: want the web app's way to the login page", r)
		}
	}
}

package main

import (
	"encoding/csv"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// importCSV posts a CSV file to the import.
func (s *testServer) importCSV(t *testing.T, token, query, body string) *result {
	t.Helper()
	return s.do(t, "POST", "/api/v1/urls/import"+query, rawBody(body),
		withHeader("Content-Type", "text/csv; charset=utf-8"), withToken(token))
}

// exportCSV downloads the export and returns its records, header first.
func (s *testServer) exportCSV(t *testing.T, token, query string) [][]string {
	t.Helper()
	r := s.do(t, "GET", "/api/v1/urls/export"+query, nil, withToken(token))
	expectStatus(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("export Content-Type %q", ct)
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
		t.Errorf("export Content-Disposition %q, want attachment", cd)
	}
	recs, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
	if err != nil {
		t.Fatalf("export is not CSV: %v\n%s", err, r.Body)
	}
	want := "short_code,short_url,original_url,title,tags,created_at,expires_at,is_active,is_public,click_count,domain"
	if len(recs) == 0 || strings.Join(recs[0], ",") != want {
		t.Fatalf("export header %v, want %s", recs, want)
	}
	return recs
}

// rowsByURL maps each exported row's original_url to (title, tags).
func rowsByURL(recs [][]string) map[string][2]string {
	out := map[string][2]string{}
	for _, r := range recs[1:] {
		out[r[2]] = [2]string{r[3], r[4]}
	}
	return out
}

// TestE2EImportAndExport: a CSV with a byte order mark, CRLF line ends,
// Bitly's "Long URL" and YOURLS' keyword headers, quoted commas, a cell
// spanning lines, a formula cell and bad rows imports the good rows and
// reports the bad ones by record number; the export streams the links
// with the formula guard, the list's filters apply to it; an export
// imported into another account gives the same targets, titles and tags
// under new codes.
func TestE2EImportAndExport(t *testing.T) {
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		a := srv.newAccount(t)
		kw := "kw-" + strings.ToLower(a.id()[:8])
		file := "\ufeffLong URL,keyword,Title,tags,notes\r\n" +
			"https://example.com/a,,\"Hello, world\",x|Y,\r\n" +
			"https://example.com/b,,'=SUM(A1),,\"two\r\nlines\"\r\n" +
			"not a url,,bad,,\r\n" +
			"https://example.com/c," + kw + ",,,\r\n" +
			"https://example.com/d,,,bad tag!,\r\n"
		b := decodeBulk(t, srv.importCSV(t, a.access, "", file))
		if b.Created != 3 || b.Failed != 2 || len(b.Items) != 5 {
			t.Fatalf("import: created %d failed %d items %d, want 3, 2, 5: %+v", b.Created, b.Failed, len(b.Items), b)
		}
		expectItem(t, b, 0, 1, 201, "")
		expectItem(t, b, 1, 2, 201, "")
		expectItem(t, b, 2, 3, 422, "body.original_url")
		expectItem(t, b, 3, 4, 201, "")
		expectItem(t, b, 4, 5, 422, "body.tags[0]")
		if l := b.Items[0].Link; l["title"] != "Hello, world" || len(l["tags"].([]any)) != 2 {
			t.Errorf("quoted comma row: %v", l)
		}
		if l := b.Items[1].Link; l["title"] != "=SUM(A1)" {
			t.Errorf("formula row title %v, want the leading ' removed", l["title"])
		}
		if l := b.Items[3].Link; l["short_code"] != kw {
			t.Errorf("keyword row code %v, want %s", l["short_code"], kw)
		}

		// Refused files change nothing.
		_, n := srv.listCodes(t, a.access, "")
		expectValidation(t, srv.importCSV(t, a.access, "", "address,title\nhttps://example.com/e,E\n"), "body")
		expectValidation(t, srv.importCSV(t, a.access, "", ""), "body")
		expectProblem(t, srv.do(t, "POST", "/api/v1/urls/import", rawBody("original_url\nhttps://example.com/f\n"),
			withHeader("Content-Type", "application/json"), withToken(a.access)), http.StatusUnsupportedMediaType)
		expectUnauthorized(t, srv.do(t, "POST", "/api/v1/urls/import", rawBody("original_url\nhttps://example.com/f\n"),
			withHeader("Content-Type", "text/csv")))
		if _, n2 := srv.listCodes(t, a.access, ""); n2 != n {
			t.Errorf("%d links after refused imports, want %d", n2, n)
		}

		recs := srv.exportCSV(t, a.access, "")
		if len(recs) != 4 {
			t.Fatalf("export has %d rows, want the header and 3", len(recs))
		}
		rows := rowsByURL(recs)
		if rows["https://example.com/a"] != [2]string{"Hello, world", "x|y"} {
			t.Errorf("exported row a: %v", rows["https://example.com/a"])
		}
		if rows["https://example.com/b"][0] != "'=SUM(A1)" {
			t.Errorf("exported formula title %q, want it prefixed with '", rows["https://example.com/b"][0])
		}
		for _, r := range recs[1:] {
			if r[1] != e2eBaseURL+"/"+r[0] || r[7] != "true" || r[8] != "true" || r[9] != "0" {
				t.Errorf("exported row %v", r)
			}
		}
		if got := srv.exportCSV(t, a.access, "?tag=x"); len(got) != 2 || got[1][2] != "https://example.com/a" {
			t.Errorf("export?tag=x = %v, want only link a", got)
		}
		if got := srv.exportCSV(t, srv.newAccount(t).access, ""); len(got) != 1 {
			t.Errorf("a new account's export has %d rows, want only the header", len(got))
		}
		expectValidation(t, srv.do(t, "GET", "/api/v1/urls/export?sort=nope", nil, withToken(a.access)), "query.sort")

		// Times as the JSON Link object has them, microseconds included.
		r := srv.do(t, "PATCH", "/api/v1/urls/"+str(b.Items[1].Link["id"]),
			map[string]any{"expires_at": "2999-01-01T00:00:00.123456Z"}, withToken(a.access))
		expectJSON(t, r, http.StatusOK)
		patched := r.object(t)
		for _, r := range srv.exportCSV(t, a.access, "")[1:] {
			if r[2] == "https://example.com/b" && (r[5] != str(patched["created_at"]) || r[6] != "2999-01-01T00:00:00.123456Z") {
				t.Errorf("exported times %q, %q; want %q, 2999-01-01T00:00:00.123456Z as the API has them", r[5], r[6], patched["created_at"])
			}
		}

		// The round trip: into another account, under new codes, keeping
		// a private link private and a disabled one disabled.
		expectJSON(t, srv.do(t, "PATCH", "/api/v1/urls/"+str(b.Items[0].Link["id"]), map[string]any{"is_public": false},
			withToken(a.access)), http.StatusOK)
		expectJSON(t, srv.do(t, "PATCH", "/api/v1/urls/"+str(b.Items[3].Link["id"]), map[string]any{"is_active": false},
			withToken(a.access)), http.StatusOK)
		recs = srv.exportCSV(t, a.access, "")
		flags := func(recs [][]string) map[string]string {
			m := map[string]string{}
			for _, r := range recs[1:] {
				m[r[2]] = "active=" + r[7] + " public=" + r[8]
			}
			return m
		}
		var exported strings.Builder
		w := csv.NewWriter(&exported)
		_ = w.WriteAll(recs)
		other := srv.newAccount(t)
		keep := decodeBulk(t, srv.importCSV(t, other.access, "", exported.String()))
		if keep.Created != 0 || keep.Failed != 3 || keep.Items[0].Status != http.StatusConflict {
			t.Errorf("the export imported with its codes on the same service: %+v, want every row 409", keep)
		}
		fresh := decodeBulk(t, srv.importCSV(t, other.access, "?codes=new", exported.String()))
		if fresh.Created != 3 {
			t.Fatalf("round trip created %d of 3: %+v", fresh.Created, fresh)
		}
		again := srv.exportCSV(t, other.access, "")
		if got := rowsByURL(again); len(got) != 3 || got["https://example.com/a"] != rows["https://example.com/a"] ||
			got["https://example.com/b"] != rows["https://example.com/b"] || got["https://example.com/c"] != rows["https://example.com/c"] {
			t.Errorf("round trip rows %v, want %v", got, rows)
		}
		if got, want := flags(again), flags(recs); !maps.Equal(got, want) || want["https://example.com/c"] != "active=false public=true" {
			t.Errorf("round trip flags %v, want %v", got, want)
		}
		for _, r := range again[1:] {
			if r[2] == "https://example.com/c" {
				expectProblem(t, srv.do(t, "GET", "/"+r[0], nil), http.StatusNotFound) // imported disabled
			}
		}
		var oldCodes []string
		for _, r := range recs[1:] {
			oldCodes = append(oldCodes, r[0])
		}
		for _, r := range again[1:] {
			if slices.Contains(oldCodes, r[0]) {
				t.Errorf("round trip kept code %s", r[0])
			}
		}
	})
}

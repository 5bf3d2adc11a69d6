package clickrows_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/clickrows"
)

var click = shortener.ClickEvent{
	ID: "0190a0f4-0000-7000-8000-000000000001", LinkID: "0190a0f4-0000-7000-8000-0000000000aa",
	OccurredAt: time.Date(2026, 12, 1, 10, 0, 0, 5, time.FixedZone("X", 3600)),
	Referrer:   "=cmd|' /C calc'!A0", Country: "DE", Browser: "Firefox", OS: "Linux", Device: "desktop",
	VisitorHash: "secret-hash", Target: "https://example.com/",
}

func TestCSVHeaderRowsAndFormulaGuard(t *testing.T) {
	var b bytes.Buffer
	rows := clickrows.New(&b, "csv")
	if err := rows.Write(click); err != nil {
		t.Fatal(err)
	}
	if err := rows.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "time,referrer_host,country,browser,os,device,is_bot,target\n" +
		"2026-12-01T09:00:00.000000005Z,'=cmd|' /C calc'!A0,DE,Firefox,Linux,desktop,false,https://example.com/\n"
	if b.String() != want {
		t.Errorf("CSV\n%s\nwant\n%s", b.String(), want)
	}
	if strings.Contains(b.String(), "secret-hash") {
		t.Error("the visitor hash reached the export")
	}
}

func TestCSVWithoutRowsIsTheHeader(t *testing.T) {
	var b bytes.Buffer
	rows := clickrows.New(&b, "")
	if b.Len() != 0 {
		t.Fatal("bytes before the first row or Flush")
	}
	if err := rows.Flush(); err != nil {
		t.Fatal(err)
	}
	if b.String() != strings.Join(clickrows.Columns, ",")+"\n" {
		t.Errorf("empty export %q", b.String())
	}
}

func TestNDJSONOneObjectPerClick(t *testing.T) {
	var b bytes.Buffer
	rows := clickrows.New(&b, "ndjson")
	for range 2 {
		if err := rows.Write(click); err != nil {
			t.Fatal(err)
		}
	}
	if err := rows.Flush(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines: %q", len(lines), b.String())
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &got); err != nil {
		t.Fatal(err)
	}
	if got["referrer_host"] != click.Referrer || got["country"] != "DE" || got["is_bot"] != false || len(got) != len(clickrows.Columns) {
		t.Errorf("object %v", got)
	}
}

package sqlite_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/sqlite"
)

// A full disk is the machine's fault, not the request's: a write that
// cannot grow the file is unavailable (503), not an internal error (500).
// max_page_count stands in for the disk: SQLite answers SQLITE_FULL when
// the file would grow past it, as it does when the disk is full.
func TestFullDiskIsUnavailable(t *testing.T) {
	ctx := context.Background()
	db := openMigrated(t)
	links := sqlite.NewLinkStore(db)
	pages := sqlite.CountForTest(t, db, "PRAGMA page_count")
	sqlite.ExecForTest(t, db, "PRAGMA max_page_count = "+strconv.FormatInt(pages, 10))
	now := time.Now().UTC()
	var err error
	for i := 0; i < 10000 && err == nil; i++ {
		code := "full" + strconv.Itoa(i)
		err = links.CreateLink(ctx, &shortener.Link{ID: shortener.NewID(), ShortCode: code,
			OriginalURL: "https://example.com/" + strings.Repeat("x", 1000), IsActive: true, IsPublic: true,
			CreatedAt: now, UpdatedAt: now, RedirectType: shortener.DefaultRedirectType, DomainID: shortener.DefaultDomainID})
	}
	if err == nil {
		t.Fatal("10,000 links of 1 KB fitted in the pages the file had: the test checked nothing")
	}
	if code := shortener.ErrorCode(err); code != shortener.EUNAVAILABLE {
		t.Errorf("a write to a full file gave %v (code %s), want %s", err, code, shortener.EUNAVAILABLE)
	}
}

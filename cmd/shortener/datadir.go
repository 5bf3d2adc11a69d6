package main

import (
	"fmt"
	"path/filepath"

	"github.com/gofrs/flock"
)

// lockDataDir takes DATA_DIR for this process until unlock, or says that
// another instance has it. Two instances on one DATA_DIR would write one
// click spool at once and corrupt it (and, embedded, serve one SQLite file
// with two caches that never hear of each other's changes). The lock is
// the operating system's: it ends with the process, however it ends.
func lockDataDir(dir string) (unlock func(), err error) {
	l := flock.New(filepath.Join(dir, "instance.lock"))
	ok, err := l.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock DATA_DIR %s: %w", dir, err)
	}
	if !ok {
		return nil, fmt.Errorf("DATA_DIR %s is in use by another running instance; each instance needs a DATA_DIR of its own", dir)
	}
	return func() { _ = l.Unlock() }, nil
}

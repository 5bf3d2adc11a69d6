package spool

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

// helperDirEnv switches the test binary into TestHelperProcess, the child
// that TestSpoolSurvivesSIGKILL kills.
const helperDirEnv = "SPOOL_TEST_HELPER_DIR"

// TestHelperProcess records clicks from several goroutines and prints each
// click's ID as soon as RecordClick returned, the moment at which a
// redirect would send its 302. It runs until it is killed.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv(helperDirEnv)
	if dir == "" {
		t.Skip("helper process of TestSpoolSurvivesSIGKILL")
	}
	s, err := Open(dir, Options{Logger: quietLogger()})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	for g := range 4 {
		go func() {
			for i := 0; ; i++ {
				c := testClick(g*1_000_000 + i)
				s.RecordClick(c)
				// One write() per line: lines never interleave.
				_, _ = os.Stdout.WriteString(c.ID.String() + "\n")
			}
		}()
	}
	time.Sleep(time.Minute) // the parent kills us long before
	t.Fatal("helper was not killed")
}

func TestSpoolSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.timeout=2m")
	cmd.Env = append(os.Environ(), helperDirEnv+"="+dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }()

	const killAfter = 5000
	printed := make(map[string]bool)
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		id := lines.Text()
		if !shortener.IsID(id) {
			t.Fatalf("child printed %q; stderr:\n%s", id, stderr.String())
		}
		printed[id] = true
		if len(printed) == killAfter {
			if err := cmd.Process.Signal(os.Kill); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Lines printed between the kill and the child's death count too.
	if err := cmd.Wait(); err == nil || cmd.ProcessState.Success() {
		t.Fatalf("child exited normally; stderr:\n%s", stderr.String())
	}
	if len(printed) < killAfter {
		t.Fatalf("child printed %d IDs before dying, want %d; stderr:\n%s",
			len(printed), killAfter, stderr.String())
	}

	s := mustOpen(t, dir, Options{})
	recovered := make(map[string]bool)
	for _, c := range drain(t, s, 1000) {
		if recovered[c.ID.String()] {
			t.Fatalf("click %s replayed twice", c.ID)
		}
		recovered[c.ID.String()] = true
	}
	for id := range printed {
		if !recovered[id] {
			t.Fatalf("click %s was acknowledged to its redirect but is not in the spool", id)
		}
	}
	t.Logf("child printed %d IDs; the spool holds %d clicks", len(printed), len(recovered))
}

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/shortener-dev/shortener/internal/testenv"
)

// childEnv makes the test binary run the server instead of the tests: the
// durability tests need a real process they can SIGKILL.
const childEnv = "SHORTENER_TEST_CHILD_SERVE"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		err := run(context.Background(), []string{"serve"}, os.Getenv, os.Stdout, os.Stderr)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// childServer is the server in a process of its own.
type childServer struct {
	cmd *exec.Cmd
	url string
}

var childListening = regexp.MustCompile(`shortener listening on (http://[^\s/]+)`)

// startChild runs the server as a child process with env.
func startChild(t *testing.T, env map[string]string) *childServer {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = []string{childEnv + "=1", "PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &childServer{cmd: cmd}
	t.Cleanup(c.kill)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := childListening.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case c.url = <-found:
	case <-time.After(30 * time.Second):
		t.Fatal("child server did not start")
	}
	return c
}

func (c *childServer) kill() {
	if c.cmd.ProcessState == nil {
		_ = c.cmd.Process.Signal(syscall.SIGKILL)
		_ = c.cmd.Wait()
	}
}

// hammer sends GET /code from conns clients until stop is closed and
// returns how many requests were sent and how many 302s came back.
func hammer(target string, conns int, stop <-chan struct{}) (sent, found *atomic.Int64, wait func()) {
	sent, found = &atomic.Int64{}, &atomic.Int64{}
	client := &http.Client{Timeout: 5 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() {
			for i := 0; i < 100000; i++ {
				select {
				case <-stop:
					return
				default:
				}
				sent.Add(1)
				resp, err := client.Get(target)
				if err != nil {
					continue
				}
				if resp.StatusCode == http.StatusFound {
					found.Add(1)
				}
				resp.Body.Close()
			}
		})
	}
	return sent, found, wg.Wait
}

// clickCount reads a link's click_count through the API.
func clickCount(t *testing.T, srv *testServer, token, id string) int {
	t.Helper()
	r := srv.do(t, "GET", "/api/v1/urls/"+id, nil, withToken(token))
	expectJSON(t, r, http.StatusOK)
	return int(num(t, "click_count", r.object(t)["click_count"]))
}

// TestConcurrentRedirectsCountExactly: N concurrent redirects are N human
// clicks in click_count and in the summary, on both backends.
func TestConcurrentRedirectsCountExactly(t *testing.T) {
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		owner := srv.newAccount(t)
		l := srv.createLink(t, owner.access, map[string]any{"original_url": "https://example.com/count"})
		code, id := l["short_code"].(string), l["id"].(string)
		const n = 200
		var wg sync.WaitGroup
		var found atomic.Int64
		for range n {
			wg.Go(func() {
				resp, err := srv.client.Get(srv.url + "/" + code)
				if err == nil {
					if resp.StatusCode == http.StatusFound {
						found.Add(1)
					}
					discard(resp.Body)
				}
			})
		}
		wg.Wait()
		if found.Load() != n {
			t.Fatalf("%d of %d redirects answered 302", found.Load(), n)
		}
		waitFor(t, "all clicks written", func() bool { return clickCount(t, srv, owner.access, id) >= n })
		time.Sleep(300 * time.Millisecond) // a double count would show up now
		if got := clickCount(t, srv, owner.access, id); got != n {
			t.Fatalf("click_count = %d, want exactly %d", got, n)
		}
		sum := srv.summary(t, owner.access, code, "?days=1")
		if got := num(t, "total_clicks", sum["total_clicks"]); got != n {
			t.Fatalf("summary total_clicks = %v, want %d", got, n)
		}
	})
}

// TestKilledServerLosesNoClicks: a server killed with SIGKILL under load
// loses no click it answered with a 302: its spool is replayed when it
// starts again.
func TestKilledServerLosesNoClicks(t *testing.T) {
	srv := startServer(t, "embedded", nil)
	owner := srv.newAccount(t)
	l := srv.createLink(t, owner.access, map[string]any{"original_url": "https://example.com/kill"})
	code, id := l["short_code"].(string), l["id"].(string)
	srv.stop(t)

	// Same DATA_DIR (database and spool) in a process that can be killed.
	// A slow flush keeps clicks in the spool when the kill comes.
	env := maps.Clone(srv.env)
	env["ANALYTICS_BATCH_SIZE"] = "5"
	child := startChild(t, env)
	stop := make(chan struct{})
	sent, found, wait := hammer(child.url+"/"+code, 16, stop)
	time.Sleep(1500 * time.Millisecond)
	child.kill()
	close(stop)
	wait()
	if found.Load() == 0 {
		t.Fatal("no redirect answered before the kill")
	}

	again := launch(t, "embedded", srv.env)
	waitFor(t, "the replayed clicks", func() bool { return clickCount(t, again, owner.access, id) >= int(found.Load()) })
	time.Sleep(500 * time.Millisecond)
	got := clickCount(t, again, owner.access, id)
	if int64(got) < found.Load() || int64(got) > sent.Load() {
		t.Fatalf("click_count = %d after the kill; want between the %d answered 302s and the %d requests sent", got, found.Load(), sent.Load())
	}
	t.Logf("sent %d, answered 302 %d, counted %d", sent.Load(), found.Load(), got)
}

// TestDeadConsumersEntriesAreFinished: an instance killed with clicks in
// the stream that it read but did not acknowledge leaves them to another
// instance, which claims and writes them; and the killed instance's spool
// is replayed when it comes back.
func TestDeadConsumersEntriesAreFinished(t *testing.T) {
	b := startServer(t, "postgres+redis", map[string]string{"CLICK_CLAIM_IDLE": "2"})
	owner := b.newAccount(t)
	l := b.createLink(t, owner.access, map[string]any{"original_url": "https://example.com/claim"})
	code, id := l["short_code"].(string), l["id"].(string)

	envA := maps.Clone(b.env)
	envA["DATA_DIR"] = t.TempDir()
	child := startChild(t, envA)
	stop := make(chan struct{})
	sent, found, wait := hammer(child.url+"/"+code, 16, stop)
	time.Sleep(1500 * time.Millisecond)
	child.kill()
	close(stop)
	wait()

	// B claims what A read but never acknowledged once it has been idle
	// for CLICK_CLAIM_IDLE. Only then does A come back, to replay what its
	// spool still holds.
	time.Sleep(5 * time.Second)
	claimed := regexp.MustCompile(`claimed entries of a stalled consumer`).MatchString(b.logs.String())
	t.Logf("B claimed entries of the dead consumer: %v", claimed)
	launch(t, "postgres+redis", envA)
	waitFor(t, "every answered click written", func() bool { return clickCount(t, b, owner.access, id) >= int(found.Load()) })
	time.Sleep(500 * time.Millisecond)
	got := clickCount(t, b, owner.access, id)
	if int64(got) < found.Load() || int64(got) > sent.Load() {
		t.Fatalf("click_count = %d; want between the %d answered 302s and the %d requests sent", got, found.Load(), sent.Load())
	}
	t.Logf("sent %d, answered 302 %d, counted %d", sent.Load(), found.Load(), got)
}

// TestClicksSurviveAPostgresOutage: with PostgreSQL unreachable for a few
// seconds, cached links keep redirecting and their clicks are written
// after it returns.
func TestClicksSurviveAPostgresOutage(t *testing.T) {
	dbURL, proxy := viaProxy(t, testenv.PostgresURL(t))
	srv := startServer(t, "postgres+redis", map[string]string{"DATABASE_URL": dbURL})
	owner := srv.newAccount(t)
	l := srv.createLink(t, owner.access, map[string]any{"original_url": "https://example.com/pg"})
	code, id := l["short_code"].(string), l["id"].(string)
	expectRedirect(t, srv.redirect(t, code), "https://example.com/pg")

	proxy.Cut()
	const outage = 10
	for range outage {
		expectRedirect(t, srv.redirect(t, code), "https://example.com/pg")
	}
	time.Sleep(2 * time.Second)
	proxy.Restore()
	waitFor(t, "the outage's clicks", func() bool {
		r := srv.do(t, "GET", "/api/v1/urls/"+id, nil, withToken(owner.access))
		return r.Status == http.StatusOK && num(t, "click_count", r.object(t)["click_count"]) == outage+1
	})
}

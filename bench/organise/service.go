package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// service is a running shortener process.
type service struct {
	cmd    *exec.Cmd
	url    string
	client *http.Client
	once   sync.Once
}

var listening = regexp.MustCompile(`shortener listening on (http://[^\s/]+)`)

func startService(ctx context.Context, bin string, env []string) (*service, error) {
	cmd := exec.CommandContext(ctx, bin, "serve")
	cmd.Env = env
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &service{cmd: cmd, client: &http.Client{Timeout: 10 * time.Minute}}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case s.url = <-found:
		return s, nil
	case <-time.After(60 * time.Second):
		s.stop()
		return nil, fmt.Errorf("the service did not start within 60 s")
	}
}

// stop ends the process (SIGTERM, a graceful shutdown) and waits for it.
func (s *service) stop() {
	s.once.Do(func() {
		_ = s.cmd.Process.Signal(os.Interrupt)
		_ = s.cmd.Wait()
	})
}

const benchEmail, benchPassword = "bench@example.com", "Bench-Passw0rd"

// account registers the bench user and logs in.
func (s *service) account(ctx context.Context) (string, error) {
	var u map[string]any
	if err := s.call(ctx, "POST", "/api/v1/auth/register", "", map[string]any{"email": benchEmail, "password": benchPassword}, 201, &u); err != nil {
		return "", err
	}
	return s.login(ctx)
}

func (s *service) login(ctx context.Context) (string, error) {
	var tp struct {
		AccessToken string `json:"access_token"`
	}
	err := s.call(ctx, "POST", "/api/v1/auth/login", "", map[string]any{"email": benchEmail, "password": benchPassword}, 200, &tp)
	return tp.AccessToken, err
}

// call sends a JSON request and decodes the answer, which must have the
// status want.
func (s *service) call(ctx context.Context, method, path, token string, body any, want int, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.url+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %d, want %d: %.300s", method, path, resp.StatusCode, want, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// rssKiB reads the process's resident set size.
func (s *service) rssKiB() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

// download GETs path and reads the body to the end at full speed,
// sampling the service's RSS every 20 ms; it returns the bytes read and
// the highest RSS seen.
func (s *service) download(ctx context.Context, path, token string) (bytesRead, peakKiB int64, err error) {
	req, err := http.NewRequestWithContext(ctx, "GET", s.url+path, nil)
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	done := make(chan struct{})
	var peak int64
	go func() {
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			peak = max(peak, s.rssKiB())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	resp, err := s.client.Do(req)
	if err == nil {
		if resp.StatusCode != 200 {
			err = fmt.Errorf("GET %s: %d", path, resp.StatusCode)
		}
		bytesRead, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	close(done)
	time.Sleep(30 * time.Millisecond)
	return bytesRead, max(peak, s.rssKiB()), err
}

package auth_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"golang.org/x/crypto/bcrypt"
	"log/slog"
	"maps"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/auth"
	"github.com/shortener-dev/shortener/internal/testdb"
	"github.com/shortener-dev/shortener/internal/testenv"
	"github.com/shortener-dev/shortener/storetest"
)

// newFakeClock returns a clock that only moves when told to.
func newFakeClock() *testenv.Clock {
	return testenv.NewClock(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC))
}

var secret = []byte("test-secret-key-of-at-least-32-bytes!!")

func newService(s storetest.Stores, clock *testenv.Clock) *auth.Service {
	return auth.NewService(auth.Config{
		Users: s.Users, Tokens: s.Tokens, Keys: s.Keys, Secret: secret, BcryptCost: 4, Clock: clock.Now,
		AccessTTL: 30 * time.Minute, RefreshTTL: 30 * 24 * time.Hour,
	})
}

// registerAndLogin registers ada@example.com and logs her in.
func registerAndLogin(t *testing.T, svc *auth.Service) *auth.TokenPair {
	t.Helper()
	ctx := context.Background()
	if _, err := svc.Register(ctx, "ada@example.com", "Correct7Horse", ""); err != nil {
		t.Fatal(err)
	}
	pair, err := svc.Login(ctx, "ada@example.com", "Correct7Horse", client)
	if err != nil {
		t.Fatal(err)
	}
	return pair
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := shortener.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

var client = auth.Client{UserAgent: "test", IP: "203.0.113.9"}

func TestRegister(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		svc := newService(s, newFakeClock())
		u, err := svc.Register(ctx, "  Ada@Example.com ", "Correct7Horse", "Ada")
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "Ada@Example.com" || u.Role != shortener.RoleUser || !u.IsActive || u.IsVerified || u.FullName != "Ada" {
			t.Fatalf("user = %+v", u)
		}
		if strings.Contains(u.PasswordHash, "Correct7Horse") || !strings.HasPrefix(u.PasswordHash, "$2") {
			t.Fatalf("password stored as %q", u.PasswordHash)
		}
		_, err = svc.Register(ctx, "ada@EXAMPLE.com", "Correct7Horse", "")
		wantCode(t, err, shortener.ECONFLICT)

		for _, tc := range []struct{ name, email, password, location string }{
			{"bad email", "not-an-email", "Correct7Horse", "body.email"},
			{"short", "a@example.com", "Sh0rt", "body.password"},
			{"no upper", "a@example.com", "lowercase7horse", "body.password"},
			{"no digit", "a@example.com", "NoDigitsHere", "body.password"},
			{"too long", "a@example.com", "A1" + strings.Repeat("x", 127), "body.password"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := svc.Register(ctx, tc.email, tc.password, "")
				wantCode(t, err, shortener.EINVALID)
				e := err.(*shortener.Error)
				if len(e.Fields) == 0 || e.Fields[0].Location != tc.location {
					t.Fatalf("fields = %+v, want location %s", e.Fields, tc.location)
				}
				if e.Fields[0].Value != nil && tc.location == "body.password" {
					t.Fatalf("password echoed in error: %+v", e.Fields[0])
				}
			})
		}
	})
}

func TestConcurrentRegistrationsOneWins(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		svc := newService(s, newFakeClock())
		var wg sync.WaitGroup
		var ok, conflict atomic.Int32
		for i := range 8 {
			wg.Go(func() {
				email := "race@example.com"
				if i%2 == 1 {
					email = "RACE@example.com"
				}
				_, err := svc.Register(context.Background(), email, "Correct7Horse", "")
				switch shortener.ErrorCode(err) {
				case "":
					ok.Add(1)
				case shortener.ECONFLICT:
					conflict.Add(1)
				default:
					t.Errorf("register: %v", err)
				}
			})
		}
		wg.Wait()
		if ok.Load() != 1 || conflict.Load() != 7 {
			t.Fatalf("ok=%d conflict=%d, want 1 and 7", ok.Load(), conflict.Load())
		}
	})
}

func TestLogin(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		svc := newService(s, newFakeClock())
		u, err := svc.Register(ctx, "ada@example.com", "Correct7Horse", "")
		if err != nil {
			t.Fatal(err)
		}
		pair, err := svc.Login(ctx, "ADA@example.com", "Correct7Horse", client)
		if err != nil {
			t.Fatal(err)
		}
		if pair.ExpiresIn != 30*time.Minute || pair.AccessToken == "" || len(pair.RefreshToken) < 43 {
			t.Fatalf("pair = %+v", pair)
		}
		got, err := svc.Authenticate(ctx, pair.AccessToken)
		if err != nil || got.User.ID != u.ID || got.IsKey() {
			t.Fatalf("authenticate = %v, %v", got, err)
		}
		_, errUnknown := svc.Login(ctx, "nobody@example.com", "Correct7Horse", client)
		_, errWrong := svc.Login(ctx, "ada@example.com", "Wrong7Horse", client)
		wantCode(t, errUnknown, shortener.EUNAUTHORIZED)
		wantCode(t, errWrong, shortener.EUNAUTHORIZED)
		if shortener.ErrorMessage(errUnknown) != shortener.ErrorMessage(errWrong) {
			t.Fatalf("unknown email and wrong password answer differently: %q vs %q", errUnknown, errWrong)
		}
	})
}

func TestLongPasswordsCountEveryCharacter(t *testing.T) {
	s := testdb.SQLite(t)
	ctx := context.Background()
	svc := newService(s, newFakeClock())
	long := "A1" + strings.Repeat("x", 90)
	if _, err := svc.Register(ctx, "long@example.com", long+"a", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Login(ctx, "long@example.com", long+"b", client); shortener.ErrorCode(err) != shortener.EUNAUTHORIZED {
		t.Fatalf("password differing after byte 72 accepted: %v", err)
	}
	if _, err := svc.Login(ctx, "long@example.com", long+"a", client); err != nil {
		t.Fatalf("right long password refused: %v", err)
	}
}

func TestAccessTokens(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		clock := newFakeClock()
		svc := newService(s, clock)
		pair := registerAndLogin(t, svc)
		parts := strings.Split(pair.AccessToken, ".")
		sig := []byte(parts[2])
		sig[3] ^= 1
		claims, _ := base64.RawURLEncoding.DecodeString(parts[1])
		none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + base64.RawURLEncoding.EncodeToString(claims) + "."
		otherKey, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "x", "type": "access", "exp": clock.Now().Add(time.Hour).Unix()}).SignedString([]byte("another-secret-another-secret-xx"))
		// Signed with the right key, the subject in upper case: PostgreSQL's
		// uuid matched it and SQLite did not; both refuse it now.
		var mc jwt.MapClaims
		if err := json.Unmarshal(claims, &mc); err != nil {
			t.Fatal(err)
		}
		resign := func(change func(jwt.MapClaims)) string {
			c := jwt.MapClaims{}
			maps.Copy(c, mc)
			change(c)
			s, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(secret)
			return s
		}
		upperSub := resign(func(c jwt.MapClaims) { c["sub"] = strings.ToUpper(c["sub"].(string)) })
		// Another user's subject on this login (a login counts only for
		// the user it was made for), and a token issued well in the future.
		grace, err := svc.Register(ctx, "grace@example.com", "Correct7Horse", "")
		if err != nil {
			t.Fatal(err)
		}
		otherSub := resign(func(c jwt.MapClaims) { c["sub"] = grace.ID })
		future := resign(func(c jwt.MapClaims) { c["iat"] = clock.Now().Add(time.Hour).Unix() })
		// Issued a little ahead, by an instance whose clock runs ahead: taken.
		if _, err := svc.Authenticate(ctx, resign(func(c jwt.MapClaims) { c["iat"] = clock.Now().Add(10 * time.Second).Unix() })); err != nil {
			t.Errorf("a token issued 10 s ahead: %v", err)
		}
		for name, token := range map[string]string{
			"tampered signature": parts[0] + "." + parts[1] + "." + string(sig),
			"alg none":           none,
			"refresh as access":  pair.RefreshToken,
			"garbage":            "not.a.token",
			"other key":          otherKey,
			"upper-case subject": upperSub,
			"another user":       otherSub,
			"issued an hour on":  future,
			"empty":              "",
		} {
			t.Run(name, func(t *testing.T) {
				_, err := svc.Authenticate(ctx, token)
				wantCode(t, err, shortener.EUNAUTHORIZED)
			})
		}
		clock.Advance(31 * time.Minute)
		_, err = svc.Authenticate(ctx, pair.AccessToken)
		wantCode(t, err, shortener.EUNAUTHORIZED)
	})
}

func TestRefreshRotationAndReuse(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		clock := newFakeClock()
		var logs bytes.Buffer
		svc := auth.NewService(auth.Config{
			Users: s.Users, Tokens: s.Tokens, Keys: s.Keys, Secret: secret, BcryptCost: 4, Clock: clock.Now,
			AccessTTL: 30 * time.Minute, RefreshTTL: 30 * 24 * time.Hour, Logger: slog.New(slog.NewJSONHandler(&logs, nil)),
		})
		first := registerAndLogin(t, svc)
		me, err := svc.Authenticate(ctx, first.AccessToken)
		if err != nil {
			t.Fatal(err)
		}
		other, err := svc.Login(ctx, "ada@example.com", "Correct7Horse", client)
		if err != nil {
			t.Fatal(err)
		}
		second, err := svc.Refresh(ctx, first.RefreshToken, client)
		if err != nil {
			t.Fatal(err)
		}
		if second.RefreshToken == first.RefreshToken {
			t.Fatal("refresh did not rotate the token")
		}
		if _, err := svc.Authenticate(ctx, second.AccessToken); err != nil {
			t.Fatalf("the refreshed access token: %v", err)
		}
		// Replaying the rotated token is reuse: the whole login ends, its
		// access tokens with its refresh tokens.
		_, err = svc.Refresh(ctx, first.RefreshToken, client)
		wantCode(t, err, shortener.EUNAUTHORIZED)
		_, err = svc.Refresh(ctx, second.RefreshToken, client)
		wantCode(t, err, shortener.EUNAUTHORIZED)
		for _, access := range []string{first.AccessToken, second.AccessToken} {
			_, err = svc.Authenticate(ctx, access)
			wantCode(t, err, shortener.EUNAUTHORIZED)
		}
		// The theft is logged once, with whose login it ended.
		var line struct {
			Level  string `json:"level"`
			Msg    string `json:"msg"`
			UserID string `json:"user_id"`
			Login  string `json:"login"`
		}
		if n := strings.Count(logs.String(), "\n"); n != 1 {
			t.Fatalf("%d log lines, want 1: %s", n, logs.String())
		}
		if err := json.Unmarshal(logs.Bytes(), &line); err != nil || line.Level != "WARN" || line.UserID != me.User.ID ||
			line.Login == "" || !strings.Contains(line.Msg, "refresh token") {
			t.Fatalf("reuse log %s (%v), want a WARN naming user %s and the login", logs.String(), err, me.User.ID)
		}
		// The user's other login is untouched.
		if _, err := svc.Authenticate(ctx, other.AccessToken); err != nil {
			t.Fatalf("other login's access token refused: %v", err)
		}
		if _, err := svc.Refresh(ctx, other.RefreshToken, client); err != nil {
			t.Fatalf("other login revoked: %v", err)
		}
		_, err = svc.Refresh(ctx, "unknown-token", client)
		wantCode(t, err, shortener.EUNAUTHORIZED)
	})
}

func TestRefreshExpires(t *testing.T) {
	s := testdb.SQLite(t)
	ctx := context.Background()
	clock := newFakeClock()
	svc := newService(s, clock)
	pair := registerAndLogin(t, svc)
	clock.Advance(30*24*time.Hour + time.Second)
	_, err := svc.Refresh(ctx, pair.RefreshToken, client)
	wantCode(t, err, shortener.EUNAUTHORIZED)
}

func TestConcurrentRefreshOneWins(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		svc := newService(s, newFakeClock())
		pair := registerAndLogin(t, svc)
		var wg sync.WaitGroup
		var ok atomic.Int32
		for range 10 {
			wg.Go(func() {
				_, err := svc.Refresh(ctx, pair.RefreshToken, client)
				if err == nil {
					ok.Add(1)
				} else if shortener.ErrorCode(err) != shortener.EUNAUTHORIZED {
					t.Errorf("refresh: %v", err)
				}
			})
		}
		wg.Wait()
		if ok.Load() != 1 {
			t.Fatalf("%d concurrent refreshes succeeded, want 1", ok.Load())
		}
	})
}

// With a reuse grace, the losers of concurrent refreshes are refused
// without revoking the login, so the winner's new token keeps working; a
// replay after the grace is theft as before.
func TestRefreshReuseGrace(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		clock := newFakeClock()
		svc := auth.NewService(auth.Config{
			Users: s.Users, Tokens: s.Tokens, Secret: secret, BcryptCost: 4, Clock: clock.Now,
			AccessTTL: 30 * time.Minute, RefreshTTL: 30 * 24 * time.Hour, ReuseGrace: 5 * time.Second,
		})
		pair := registerAndLogin(t, svc)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var winners []*auth.TokenPair
		for range 20 {
			wg.Go(func() {
				p, err := svc.Refresh(ctx, pair.RefreshToken, client)
				if err == nil {
					mu.Lock()
					winners = append(winners, p)
					mu.Unlock()
				} else if shortener.ErrorCode(err) != shortener.EUNAUTHORIZED {
					t.Errorf("refresh: %v", err)
				}
			})
		}
		wg.Wait()
		if len(winners) != 1 {
			t.Fatalf("%d concurrent refreshes succeeded, want 1", len(winners))
		}
		// Within the grace a replay is refused and the winner unharmed.
		clock.Advance(4 * time.Second)
		_, err := svc.Refresh(ctx, pair.RefreshToken, client)
		wantCode(t, err, shortener.EUNAUTHORIZED)
		next, err := svc.Refresh(ctx, winners[0].RefreshToken, client)
		if err != nil {
			t.Fatalf("the winner's token was revoked by the losers: %v", err)
		}
		// After the grace, replaying a rotated token ends the login.
		clock.Advance(6 * time.Second)
		_, err = svc.Refresh(ctx, winners[0].RefreshToken, client)
		wantCode(t, err, shortener.EUNAUTHORIZED)
		_, err = svc.Refresh(ctx, next.RefreshToken, client)
		wantCode(t, err, shortener.EUNAUTHORIZED)
	})
}

func TestLogoutRevokesTheLogin(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		svc := newService(s, newFakeClock())
		pair := registerAndLogin(t, svc)
		next, err := svc.Refresh(ctx, pair.RefreshToken, client)
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.Logout(ctx, pair.RefreshToken); err != nil {
			t.Fatal(err)
		}
		_, err = svc.Refresh(ctx, next.RefreshToken, client)
		wantCode(t, err, shortener.EUNAUTHORIZED)
		for _, access := range []string{pair.AccessToken, next.AccessToken} {
			_, err = svc.Authenticate(ctx, access)
			wantCode(t, err, shortener.EUNAUTHORIZED)
		}
		if err := svc.Logout(ctx, "never-issued"); err != nil {
			t.Fatalf("logout of an unknown token: %v", err)
		}
	})
}

// liveLogin stores a login (a refresh-token family) of userID holding one
// live token, and returns its ID, the sid of the access tokens it issues.
func liveLogin(t *testing.T, s storetest.Stores, userID string, now time.Time) string {
	t.Helper()
	login := shortener.NewID()
	if err := s.Tokens.CreateRefreshToken(context.Background(), &shortener.RefreshToken{ID: shortener.NewID(), UserID: userID,
		FamilyID: login, TokenHash: auth.HashToken(login), ExpiresAt: now.Add(time.Hour), CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	return login
}

func TestInactiveUsers(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		clock := newFakeClock()
		svc := newService(s, clock)
		hash, _ := auth.NewHasher(4).Hash("Correct7Horse")
		now := time.Now().UTC().Truncate(time.Microsecond)
		u := &shortener.User{ID: shortener.NewID(), Email: "off@example.com", PasswordHash: hash, Role: shortener.RoleUser,
			IsActive: false, CreatedAt: now, UpdatedAt: now}
		if err := s.Users.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		_, err := svc.Login(ctx, "off@example.com", "Correct7Horse", client)
		wantCode(t, err, shortener.EUNAUTHORIZED)

		// A token issued before the account was switched off (its login
		// still live), or for an account that is gone, no longer
		// authenticates.
		login := liveLogin(t, s, u.ID, now)
		tokens := auth.NewTokens(secret, 30*time.Minute, clock.Now)
		for name, id := range map[string]string{"inactive": u.ID, "unknown": shortener.NewID()} {
			token, err := tokens.IssueForSession(id, login)
			if err != nil {
				t.Fatal(err)
			}
			_, err = svc.Authenticate(ctx, token)
			wantCode(t, err, shortener.EUNAUTHORIZED)
			if msg := shortener.ErrorMessage(err); msg != "Invalid or expired access token." {
				t.Errorf("%s user: message %q", name, msg)
			}
		}

		// A token that names no login (builds before 2026-12-01 issued
		// them) cannot be ended by a logout, so it is refused.
		claims := jwt.MapClaims{"type": "access", "sub": shortener.NewID(), "iat": clock.Now().Unix(),
			"exp": clock.Now().Add(time.Minute).Unix(), "jti": shortener.NewID()}
		active := &shortener.User{ID: claims["sub"].(string), Email: "on@example.com", PasswordHash: hash, Role: shortener.RoleUser,
			IsActive: true, CreatedAt: now, UpdatedAt: now}
		if err := s.Users.CreateUser(ctx, active); err != nil {
			t.Fatal(err)
		}
		old, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(secret)
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.Authenticate(ctx, old)
		wantCode(t, err, shortener.EUNAUTHORIZED)
	})
}

// Passwords are compared in NFC: "é" typed as one code point or as "e" and
// a combining accent is the same password. A hash stored before that rule
// (of the decomposed form as typed) still verifies and is replaced by the
// hash of the NFC form at that login.
func TestPasswordsAreNormalised(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		svc := newService(s, newFakeClock())
		composed, decomposed := "Caf\u00e9Latte7", "Cafe\u0301Latte7"
		if _, err := svc.Register(ctx, "nfc@example.com", decomposed, ""); err != nil {
			t.Fatal(err)
		}
		for _, pw := range []string{composed, decomposed} {
			if _, err := svc.Login(ctx, "nfc@example.com", pw, client); err != nil {
				t.Errorf("login with %+q: %v", pw, err)
			}
		}

		// An account from before the rule: its hash is of the raw form.
		legacy := auth.NewHasher(4)
		oldHash := bcryptOf(t, decomposed)
		u, err := svc.Register(ctx, "old@example.com", composed, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Users.UpdateUser(ctx, u.ID, shortener.UserUpdate{PasswordHash: &oldHash}, time.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Login(ctx, "old@example.com", decomposed, client); err != nil {
			t.Fatalf("legacy hash of the raw form no longer verifies: %v", err)
		}
		after, err := s.Users.UserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if after.PasswordHash == oldHash {
			t.Fatal("the legacy hash was not replaced at login")
		}
		if ok, rehash, err := legacy.Check(after.PasswordHash, composed); !ok || rehash || err != nil {
			t.Fatalf("new hash: ok=%v rehash=%v err=%v, want the NFC form to verify directly", ok, rehash, err)
		}
		if _, err := svc.Login(ctx, "old@example.com", composed, client); err != nil {
			t.Fatalf("the composed form after the upgrade: %v", err)
		}
	})
}

// A login with a hash made at another bcrypt cost (BCRYPT_COST changed
// since) stores one at the current cost: the check of the old hash takes
// another time than the unknown email's, which tells accounts apart.
func TestLoginRehashesAtTheCurrentCost(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		svc := newService(s, newFakeClock()) // cost 4
		u, err := svc.Register(ctx, "cost@example.com", "Correct7Horse", "")
		if err != nil {
			t.Fatal(err)
		}
		old, err := bcrypt.GenerateFromPassword([]byte("Correct7Horse"), 5)
		if err != nil {
			t.Fatal(err)
		}
		oldHash := string(old)
		if _, err := s.Users.UpdateUser(ctx, u.ID, shortener.UserUpdate{PasswordHash: &oldHash}, time.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Login(ctx, "cost@example.com", "wrong-Horse7", client); err == nil {
			t.Fatal("a wrong password logged in")
		}
		if after, _ := s.Users.UserByID(ctx, u.ID); after.PasswordHash != oldHash {
			t.Fatal("a failed login replaced the hash")
		}
		if _, err := svc.Login(ctx, "cost@example.com", "Correct7Horse", client); err != nil {
			t.Fatalf("a hash of another cost no longer verifies: %v", err)
		}
		after, err := s.Users.UserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if cost, err := bcrypt.Cost([]byte(after.PasswordHash)); err != nil || cost != 4 {
			t.Fatalf("hash after login: cost %d (%v), want BCRYPT_COST 4", cost, err)
		}
		if _, err := svc.Login(ctx, "cost@example.com", "Correct7Horse", client); err != nil {
			t.Fatalf("the new hash: %v", err)
		}
	})
}

// bcryptOf hashes password exactly as given, as the service did before
// passwords were normalised.
func bcryptOf(t *testing.T, password string) string {
	t.Helper()
	b, err := bcrypt.GenerateFromPassword([]byte(password), 4)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Text a client controls never reaches PostgreSQL as NUL or invalid UTF-8
// (it fails the query there, a 500), and both engines answer alike: a user
// agent cut at 512 bytes inside a character, an email with NUL, names with
// control or invisible characters.
func TestUnstorableText(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		svc := newService(s, newFakeClock())
		if _, err := svc.Register(ctx, "ua@example.com", "Correct7Horse", ""); err != nil {
			t.Fatal(err)
		}
		longUA := strings.Repeat("M", 511) + "日本語 Safari"
		pair, err := svc.Login(ctx, "ua@example.com", "Correct7Horse", auth.Client{UserAgent: longUA, IP: "203.0.113.1"})
		if err != nil {
			t.Fatalf("login with a long multi-byte user agent: %v", err)
		}
		if _, err := svc.Refresh(ctx, pair.RefreshToken, auth.Client{UserAgent: "bad\xff\x00agent"}); err != nil {
			t.Fatalf("refresh with an invalid user agent: %v", err)
		}
		for _, email := range []string{"ua@example.com\x00", "u\xffa@example.com"} {
			_, err := svc.Login(ctx, email, "Correct7Horse", client)
			wantCode(t, err, shortener.EUNAUTHORIZED)
			_, err = svc.Register(ctx, email, "Correct7Horse", "")
			wantCode(t, err, shortener.EINVALID)
		}
		for _, name := range []string{"Ada\x00", "Ada\u202eLovelace", "Ada\u200b", "A\nB", "\xffAda"} {
			_, err := svc.Register(ctx, shortener.NewID()+"@example.com", "Correct7Horse", name)
			wantCode(t, err, shortener.EINVALID)
		}
	})
}

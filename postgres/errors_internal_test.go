package postgres

import (
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestRetryDeadlock(t *testing.T) {
	deadlock := &pgconn.PgError{Code: deadlockDetected}
	other := errors.New("other")
	for _, tc := range []struct {
		name      string
		errs      []error // what each run returns; the last repeats
		wantRuns  int
		wantError error
	}{
		{"no error", []error{nil}, 1, nil},
		{"another error is not retried", []error{other}, 1, other},
		{"a victim runs again", []error{deadlock, deadlock, nil}, 3, nil},
		{"at most deadlockRetries again", []error{deadlock}, 1 + deadlockRetries, deadlock},
	} {
		t.Run(tc.name, func(t *testing.T) {
			runs := 0
			err := retryDeadlock(func() error {
				runs++
				return tc.errs[min(runs, len(tc.errs))-1]
			})
			if runs != tc.wantRuns || !errors.Is(err, tc.wantError) {
				t.Errorf("%d runs, %v; want %d, %v", runs, err, tc.wantRuns, tc.wantError)
			}
		})
	}
}

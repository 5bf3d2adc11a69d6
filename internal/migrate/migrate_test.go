package migrate

import (
	"errors"
	"fmt"
	"testing"
)

func TestVersionError(t *testing.T) {
	tests := []struct {
		name            string
		current, latest int64
		want            string
		tooNew, pending bool
	}{
		{"newer", 7, 1, "database schema version 7 is newer than this binary supports (version 1); upgrade shortener", true, false},
		{"older", 0, 1, `database schema is at version 0, this binary needs 1: run "shortener migrate"`, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := fmt.Errorf("sqlite: %w", &VersionError{Current: tt.current, Latest: tt.latest})
			if got := err.Error(); got != "sqlite: "+tt.want {
				t.Errorf("message = %q, want %q", got, tt.want)
			}
			if errors.Is(err, ErrSchemaTooNew) != tt.tooNew || errors.Is(err, ErrSchemaPending) != tt.pending {
				t.Errorf("Is(ErrSchemaTooNew) = %v, Is(ErrSchemaPending) = %v; want %v, %v",
					errors.Is(err, ErrSchemaTooNew), errors.Is(err, ErrSchemaPending), tt.tooNew, tt.pending)
			}
			var ve *VersionError
			if !errors.As(err, &ve) || ve.Current != tt.current {
				t.Errorf("errors.As did not find the VersionError")
			}
		})
	}
}

func TestNewWithoutMigrations(t *testing.T) {
	if _, err := New("sqlite3", nil, nil); err == nil {
		t.Error("New with no database and no migrations succeeded")
	}
}

package sqlite

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"

	"modernc.org/sqlite"
)

// add_counts(a, b) returns the JSON object a with b's counts added key by
// key, both objects of integers: the days' dimension counts
// (shortener.SplitDims) grow by a batch's.
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("add_counts", 2, addCounts)
}

func addCounts(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	var a, b map[string]int64
	if err := unmarshalArg(args[0], &a); err != nil {
		return nil, err
	}
	if err := unmarshalArg(args[1], &b); err != nil {
		return nil, err
	}
	if a == nil {
		a = make(map[string]int64, len(b))
	}
	for k, n := range b {
		a[k] += n
	}
	out, err := json.Marshal(a)
	return string(out), err
}

func unmarshalArg(v driver.Value, into *map[string]int64) error {
	switch v := v.(type) {
	case string:
		return json.Unmarshal([]byte(v), into)
	case []byte:
		return json.Unmarshal(v, into)
	}
	return fmt.Errorf("add_counts: %T is not a JSON object", v)
}

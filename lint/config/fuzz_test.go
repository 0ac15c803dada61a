package config

import (
	"errors"
	"testing"
)

// FuzzParse checks that no input makes Parse panic, and that every error
// is an *Error with a position inside the input.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"ignored: [DM3008, DL3009]\noverride:\n  error: [DM3004]\nfailure-threshold: error\n",
		"packs: [a.yaml]\nformat: json\ndisable-ignore-pragma: true\n",
		"ignored:\n  - DL3008\n - DL3009\n",
		"\tignored: []\n",
		"override: [x]\n",
		"- a\n",
		"a: &x [1]\nb: *x\n",
	} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	f.Fuzz(func(t *testing.T, src string, hadolint bool) {
		_, err := Parse("c.yaml", []byte(src), hadolint)
		if err == nil {
			return
		}
		var cerr *Error
		if !errors.As(err, &cerr) {
			t.Fatalf("error %v is %T, want *Error", err, err)
		}
		if cerr.Origin.Line < 1 || cerr.Origin.Col < 1 {
			t.Fatalf("error %v has no position", err)
		}
	})
}

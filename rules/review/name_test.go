package review

import (
	"errors"
	"testing"

	"github.com/dockmine/dockmine/rules"
)

func TestSuggestName(t *testing.T) {
	tests := []struct {
		c    rules.Candidate
		want string
	}{
		{rules.Candidate{Kind: "flag", Antecedent: "apt-get install", Consequent: "--no-install-recommends"}, "apt-get-install-no-install-recommends"},
		{rules.Candidate{Kind: "follows", Antecedent: "apt-get install", Consequent: "rm -rf /var/lib/apt/lists/*"}, "apt-get-install-then-rm-rf-var-lib-apt-lists"},
		{rules.Candidate{Kind: "precedes", Antecedent: "apt-get install", Consequent: "apt-get update"}, "apt-get-install-after-apt-get-update"},
		{rules.Candidate{Kind: "absent", Antecedent: "FROM", Consequent: ":latest"}, "from-without-latest"},
		{rules.Candidate{Kind: "flag", Antecedent: "curl", Consequent: "--fail --show-error --silent --location --retry 5 --proto =https"}, "curl-fail-show-error-silent-location-retry-5"},
		{rules.Candidate{ID: "AB12", Kind: "flag"}, "rule-ab12"},
	}
	for _, tt := range tests {
		got := SuggestName(&tt.c)
		if got != tt.want {
			t.Errorf("SuggestName(%s %q %q) = %q, want %q", tt.c.Kind, tt.c.Antecedent, tt.c.Consequent, got, tt.want)
		}
		if err := CheckName(got); err != nil {
			t.Errorf("SuggestName gave an invalid name: %v", err)
		}
		if len(got) > maxNameLen {
			t.Errorf("SuggestName gave %d bytes, more than %d", len(got), maxNameLen)
		}
	}
}

func TestCheckName(t *testing.T) {
	for _, name := range []string{"a", "apt-no-cache", "pip3-x2"} {
		if err := CheckName(name); err != nil {
			t.Errorf("CheckName(%q): %v", name, err)
		}
	}
	for _, name := range []string{"", "Apt", "apt--x", "-apt", "apt-", "apt_x"} {
		if err := CheckName(name); !errors.Is(err, ErrName) {
			t.Errorf("CheckName(%q) = %v, want ErrName", name, err)
		}
	}
}

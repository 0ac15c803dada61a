package format

import "testing"

func TestSARIFVersions(t *testing.T) {
	tests := []struct{ in, version, semver string }{
		{"v0.3.1", "0.3.1", "0.3.1"},
		{"v0.0.0-20261204210406-8157c0e1a2b3", "0.0.0-20261204210406-8157c0e1a2b3", "0.0.0-20261204210406-8157c0e1a2b3"},
		{"devel", "devel", ""},
		{"", "devel", ""},
	}
	for _, tt := range tests {
		version, semver := sarifVersions(tt.in)
		if version != tt.version || semver != tt.semver {
			t.Errorf("sarifVersions(%q) = %q, %q; want %q, %q", tt.in, version, semver, tt.version, tt.semver)
		}
	}
}

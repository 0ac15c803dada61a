package schema

import "testing"

func TestSplitPackage(t *testing.T) {
	cases := []struct {
		command, value    string
		name, op, version string
	}{
		{"apt-get", "curl=7.88.1-10", "curl", "=", "7.88.1-10"},
		{"apt-get", "curl", "curl", "", ""},
		{"apt-get", "libssl3:arm64=3.0.11-1", "libssl3:arm64", "=", "3.0.11-1"},
		{"apt-get", "git/bookworm-backports", "git", "/", "bookworm-backports"},
		{"apt-get", "./local.deb", "./local.deb", "", ""},
		{"/usr/bin/apt-get", "curl=1", "curl", "=", "1"},
		{"apk", "curl~8.5", "curl", "~", "8.5"},
		{"apk", "curl>=8.5", "curl", ">=", "8.5"},
		{"pip", "requests==2.31.0", "requests", "==", "2.31.0"},
		{"pip3", "django>=4,<5", "django", ">=", "4,<5"},
		{"pip", "uvicorn[standard]~=0.29", "uvicorn[standard]", "~=", "0.29"},
		{"pip", "pkg===1.0", "pkg", "===", "1.0"},
		{"npm", "pkg@1.2", "pkg", "@", "1.2"},
		{"npm", "@types/node@20", "@types/node", "@", "20"},
		{"npm", "@types/node", "@types/node", "", ""},
		{"go", "golang.org/x/tools/gopls@latest", "golang.org/x/tools/gopls", "@", "latest"},
		{"cargo", "cargo-chef@0.1.62", "cargo-chef", "@", "0.1.62"},
		{"gem", "bundler:2.4.22", "bundler", ":", "2.4.22"},
		{"composer", "laravel/installer:^5.0", "laravel/installer", ":", "^5.0"},
		{"pecl", "redis-5.3.7", "redis", "-", "5.3.7"},
		{"pecl", "mongodb-stable", "mongodb-stable", "", ""},
		{"yum", "httpd-2.4.6", "httpd-2.4.6", "", ""},
		{"frobnicate", "a=1", "a=1", "", ""},
	}
	for _, tc := range cases {
		name, op, version := SplitPackage(tc.command, tc.value)
		if name != tc.name || op != tc.op || version != tc.version {
			t.Errorf("SplitPackage(%q, %q) = %q, %q, %q; want %q, %q, %q",
				tc.command, tc.value, name, op, version, tc.name, tc.op, tc.version)
		}
	}
}

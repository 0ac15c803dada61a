package corpus

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/dockmine/dockmine/corpus/store"
)

func TestParseSource(t *testing.T) {
	tests := []struct {
		line string
		want Source
	}{
		{"docker-library/php", Source{Name: "docker-library/php", URL: "https://github.com/docker-library/php.git"}},
		{"docker-library/php@76260995b439a4eaac87630f73193f13f1f3aaf2", Source{Name: "docker-library/php", URL: "https://github.com/docker-library/php.git", Pin: "76260995b439a4eaac87630f73193f13f1f3aaf2"}},
		{"  owner/name@ABCDEF1 ", Source{Name: "owner/name", URL: "https://github.com/owner/name.git", Pin: "abcdef1"}},
		{"https://example.invalid/group/sub/name.git", Source{Name: "sub/name", URL: "https://example.invalid/group/sub/name.git"}},
		{"https://user:tok@example.invalid/o/n", Source{Name: "o/n", URL: "https://user:tok@example.invalid/o/n"}},
		{"git@example.invalid:owner/name.git", Source{Name: "owner/name", URL: "git@example.invalid:owner/name.git"}},
		{"file:///srv/mirror/owner/name.git@0123456", Source{Name: "owner/name", URL: "file:///srv/mirror/owner/name.git", Pin: "0123456"}},
		{"/srv/mirror/owner__name.git", Source{Name: "owner/name", Path: "/srv/mirror/owner__name.git"}},
		{"./owner/name", Source{Name: "local/name-6cc90cc8", Path: "/base/owner/name"}},
		{"../x/my repo", Source{Name: "local/my_repo-eac02071", Path: "/x/my repo"}},
		{"/srv/logos@2x/", Source{Name: "local/logos_2x-48939d3e", Path: "/srv/logos@2x"}},
		{"ssh://git@example.invalid/owner/name.git", Source{Name: "owner/name", URL: "ssh://git@example.invalid/owner/name.git"}},
		{"git@example.invalid:owner/name.git@0123456789abcdef0123456789abcdef01234567", Source{Name: "owner/name", URL: "git@example.invalid:owner/name.git", Pin: "0123456789abcdef0123456789abcdef01234567"}},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			got, err := ParseSource(tt.line, "/base")
			if err != nil {
				t.Fatalf("ParseSource(%q): %v", tt.line, err)
			}
			if got != tt.want {
				t.Errorf("ParseSource(%q) = %+v, want %+v", tt.line, got, tt.want)
			}
		})
	}
}

func TestParseSourceRejects(t *testing.T) {
	for _, line := range []string{"@0123456789", "https://example.invalid/onlyone", "https://example.invalid/a b/c"} {
		if src, err := ParseSource(line, "/base"); !errors.Is(err, ErrInvalidSource) {
			t.Errorf("ParseSource(%q) = %+v, %v; want ErrInvalidSource", line, src, err)
		}
	}
}

func TestParseSourceRejectsInvalidCommit(t *testing.T) {
	lines := []string{
		"docker-library/php@zzz",
		"docker-library/php@",
		"docker-library/php@abc12", // shorter than 7 digits
		"docker-library/php@0123456789abcdef0123456789abcdef012345678", // 41 digits
		"docker-library/php@main",
		"https://example.invalid/o/n.git@v1.0",
		"./images@2x",
	}
	for _, line := range lines {
		src, err := ParseSource(line, "/base")
		if !errors.Is(err, ErrInvalidCommit) || !errors.Is(err, ErrInvalidSource) {
			t.Errorf("ParseSource(%q) = %+v, %v; want ErrInvalidCommit", line, src, err)
			continue
		}
		if strings.Contains(err.Error(), "not found") || strings.Contains(err.Error(), "/base") {
			t.Errorf("ParseSource(%q) error = %q, want no local path in it", line, err)
		}
	}

	// The error shows the line without the credentials of a URL.
	_, err := ParseSource("https://user:secret@example.invalid/o/n@zzz", "/base")
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("error = %v, want one without the password", err)
	}
}

func TestNameForPath(t *testing.T) {
	tests := []struct{ path, want string }{
		{"/x/app", "local/app-b19d3b3a"},
		{"/y/app", "local/app-4c6f3b4a"},
		{"/srv/mirror/owner__name.git", "owner/name"},
		{"/srv/other/owner__name", "owner/name"},
	}
	for _, tt := range tests {
		if got := NameForPath(tt.path); got != tt.want {
			t.Errorf("NameForPath(%q) = %q, want %q", tt.path, got, tt.want)
		}
		if err := store.CheckName(NameForPath(tt.path)); err != nil {
			t.Errorf("NameForPath(%q) is not a valid store name: %v", tt.path, err)
		}
	}
}

func TestReadSourcesComments(t *testing.T) {
	input := "# corpus list\n\nowner/a # the first\n\towner/b\n#owner/c\nhttps://example.invalid/x/y#frag\n"
	got, err := ReadSources(strings.NewReader(input), "list.txt", "/base")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range got {
		names = append(names, s.Name)
	}
	if want := []string{"owner/a", "owner/b", "x/y"}; !slices.Equal(names, want) {
		t.Errorf("names = %q, want %q", names, want)
	}

	_, err = ReadSources(strings.NewReader("owner/a\nhttps://example.invalid/bad\n"), "list.txt", "/base")
	if err == nil || !strings.HasPrefix(err.Error(), "list.txt:2: ") {
		t.Errorf("error = %v, want one naming list.txt:2", err)
	}
}

func TestCheckStored(t *testing.T) {
	st := store.NewMemory()
	for _, rec := range []store.Repo{
		{Name: "owner/app", Source: "/x/owner__app", State: store.StateDone},
		{Name: "owner/broken", Source: "/x/owner__broken", State: store.StateFailed},
	} {
		tx, err := st.BeginRepo(rec.Name)
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(rec); err != nil {
			t.Fatal(err)
		}
	}

	pass := [][]Source{
		{{Name: "owner/app", Path: "/x/owner__app"}},             // the same path again
		{{Name: "owner/broken", Path: "/y/owner__broken"}},       // a failed record is replaced
		{{Name: "owner/app", URL: DefaultCloneURL("owner/app")}}, // URLs are not checked
		{{Name: "local/app-4c6f3b4a", Path: "/y/app"}},           // not stored
	}
	for _, sources := range pass {
		if err := CheckStored(st, sources); err != nil {
			t.Errorf("CheckStored(%+v) = %v, want nil", sources, err)
		}
	}
	err := CheckStored(st, []Source{{Name: "owner/app", Path: "/y/owner__app"}})
	if !errors.Is(err, ErrInvalidSource) || !strings.Contains(err.Error(), "/x/owner__app") || !strings.Contains(err.Error(), "/y/owner__app") {
		t.Errorf("CheckStored(owner/app from another path) = %v, want ErrInvalidSource naming both paths", err)
	}
}

func TestCheckUnique(t *testing.T) {
	a := Source{Name: "o/a", URL: DefaultCloneURL("o/a")}
	b := Source{Name: "o/b", Path: "/x/o__b"}
	got, err := CheckUnique([]Source{a, b, a})
	if err != nil || len(got) != 2 {
		t.Errorf("CheckUnique with a repeat = %v, %v; want the two distinct sources", got, err)
	}
	clash := Source{Name: "o/b", Path: "/y/o__b"}
	if _, err := CheckUnique([]Source{b, clash}); !errors.Is(err, ErrInvalidSource) {
		t.Errorf("CheckUnique with a name clash = %v, want ErrInvalidSource", err)
	}
}

func TestRedactURL(t *testing.T) {
	got := RedactURL("https://x-access-token:secret@example.invalid/o/n.git")
	if strings.Contains(got, "secret") || got != "https://example.invalid/o/n.git" {
		t.Errorf("RedactURL = %q", got)
	}
}

func TestShardPartitionsNames(t *testing.T) {
	var sources []Source
	for i := range 1000 {
		sources = append(sources, Source{Name: fmt.Sprintf("owner%d/repo%d", i%17, i)})
	}
	const n = 4
	seen := map[string]int{}
	for i := 1; i <= n; i++ {
		part := Shard{Index: i, Count: n}.Filter(sources)
		if len(part) < 150 {
			t.Errorf("shard %d/%d has %d of 1000 names; the split is lopsided", i, n, len(part))
		}
		for _, s := range part {
			seen[s.Name]++
		}
	}
	for _, s := range sources {
		if seen[s.Name] != 1 {
			t.Errorf("%s is in %d shards, want 1", s.Name, seen[s.Name])
		}
	}

	// The part of a name does not depend on the list around it.
	reversed := slices.Clone(sources)
	slices.Reverse(reversed)
	a, b := Shard{Index: 2, Count: n}.Filter(sources), Shard{Index: 2, Count: n}.Filter(reversed)
	slices.Reverse(b)
	if !slices.Equal(a, b) {
		t.Error("shard 2/4 depends on the order of the list")
	}
}

func TestParseShard(t *testing.T) {
	if s, err := ParseShard("3/8"); err != nil || s != (Shard{Index: 3, Count: 8}) {
		t.Errorf("ParseShard(3/8) = %v, %v", s, err)
	}
	for _, bad := range []string{"", "3", "0/4", "5/4", "a/b", "-1/2", "1/0"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) = nil error", bad)
		}
	}
}

func TestApplyRewrites(t *testing.T) {
	rws := []Rewrite{{From: "https://github.com/", To: "/srv/mirror/"}, {From: "https://github.com/special/", To: "/fast/"}}
	tests := []struct{ in, want string }{
		{"https://github.com/o/n.git", "/srv/mirror/o/n.git"},
		{"https://github.com/special/n.git", "/fast/n.git"},
		{"https://gitlab.example.invalid/o/n.git", "https://gitlab.example.invalid/o/n.git"},
	}
	for _, tt := range tests {
		if got, _ := ApplyRewrites(rws, tt.in); got != tt.want {
			t.Errorf("ApplyRewrites(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}

	targets := cloneTargets(rws[:1], Source{Name: "o/n", URL: DefaultCloneURL("o/n")})
	if want := []string{"/srv/mirror/o/n.git", "/srv/mirror/o/n"}; !slices.Equal(targets, want) {
		t.Errorf("cloneTargets = %q, want %q", targets, want)
	}
	for _, bad := range []string{"noequals", "=x", "x="} {
		if _, err := ParseRewrite(bad); err == nil {
			t.Errorf("ParseRewrite(%q) = nil error", bad)
		}
	}
}

func TestIsDockerfileName(t *testing.T) {
	yes := []string{"Dockerfile", "a/b/Dockerfile", "Dockerfile.dev", "api.Dockerfile", "x/web.dockerfile", "Containerfile", "Containerfile.rhel", "dockerfile"}
	no := []string{"Dockerfile-linux.template", "DOCKERFILE", ".Dockerfile", ".dockerfile", "dockerfile.dev", "Dockerfiles/README", "containerfile", "Dockerfile/", "docker-compose.yml"}
	for _, p := range yes {
		if !IsDockerfileName(p) {
			t.Errorf("IsDockerfileName(%q) = false, want true", p)
		}
	}
	for _, p := range no {
		if IsDockerfileName(p) {
			t.Errorf("IsDockerfileName(%q) = true, want false", p)
		}
	}
}

func TestIsVendored(t *testing.T) {
	for p, want := range map[string]bool{
		"vendor/x/Dockerfile":         true,
		"a/node_modules/b/Dockerfile": true,
		"vendor.Dockerfile":           false,
		"myvendor/Dockerfile":         false,
		"Dockerfile":                  false,
	} {
		if got := IsVendored(p); got != want {
			t.Errorf("IsVendored(%q) = %v, want %v", p, got, want)
		}
	}
}

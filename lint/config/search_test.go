package config

import (
	"os"
	"path/filepath"
	"testing"
)

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFinderSearchOrder(t *testing.T) {
	root := t.TempDir()
	work := filepath.Join(root, "work")
	user := filepath.Join(root, "user")
	mono := filepath.Join(root, "mono")
	writeFile(t, filepath.Join(mono, ".dockmine.yaml"), "")
	writeFile(t, filepath.Join(mono, "svc", "a", ".dockmine.yml"), "")
	writeFile(t, filepath.Join(mono, "svc", "b", "Dockerfile"), "")
	writeFile(t, filepath.Join(work, ".dockmine.yaml"), "")
	writeFile(t, filepath.Join(user, "dockmine.yaml"), "")
	writeFile(t, filepath.Join(root, "hado", ".hadolint.yaml"), "")
	writeFile(t, filepath.Join(root, "hado", "sub", "Dockerfile"), "")

	tests := []struct {
		name     string
		finder   *Finder
		dir      string
		want     string
		hadolint bool
	}{
		{"nearest file wins", &Finder{WorkDir: work, UserConfigDir: user}, filepath.Join(mono, "svc", "a"), filepath.Join(mono, "svc", "a", ".dockmine.yml"), false},
		{"parent directory", &Finder{WorkDir: work, UserConfigDir: user}, filepath.Join(mono, "svc", "b"), filepath.Join(mono, ".dockmine.yaml"), false},
		{"working directory, shown relative", &Finder{WorkDir: work, UserConfigDir: user}, filepath.Join(root, "hado", "sub"), ".dockmine.yaml", false},
		{"below the working directory, shown relative", &Finder{WorkDir: mono}, filepath.Join(mono, "svc", "a"), filepath.Join("svc", "a", ".dockmine.yml"), false},
		{"user directory", &Finder{WorkDir: filepath.Join(root, "none"), UserConfigDir: user}, filepath.Join(root, "hado", "sub"), filepath.Join(user, "dockmine.yaml"), false},
		{"hadolint fallback", &Finder{WorkDir: filepath.Join(root, "none")}, filepath.Join(root, "hado", "sub"), filepath.Join(root, "hado", ".hadolint.yaml"), true},
		{"nothing", &Finder{}, filepath.Join(root, "elsewhere"), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.finder.Find(tt.dir)
			if err != nil {
				t.Fatalf("Find(%s): %v", tt.dir, err)
			}
			if got.Path != tt.want || got.Hadolint != tt.hadolint {
				t.Errorf("Find(%s) = %+v, want {Path:%s Hadolint:%t}", tt.dir, got, tt.want, tt.hadolint)
			}
		})
	}
}

func TestFinderSkipsDirectoryNamedLikeConfig(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "a", ".dockmine.yaml"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, ".dockmine.yaml"), "")

	got, err := (&Finder{}).Find(filepath.Join(root, "a"))
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(root, ".dockmine.yaml"); got.Path != want {
		t.Errorf("Find = %q, want %q", got.Path, want)
	}
}

package lint

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/dockmine/dockmine/rules"
)

func edit(start, end int, text string) rules.Edit {
	return rules.Edit{Start: start, End: end, NewText: text}
}

func fix(desc string, edits ...rules.Edit) *rules.Fix {
	return &rules.Fix{Description: desc, Edits: edits}
}

func TestApplyFixes(t *testing.T) {
	src := []byte("RUN apt-get install curl\n")
	tests := []struct {
		name    string
		fixes   []*rules.Fix
		want    string
		applied int
	}{
		{"none", nil, "RUN apt-get install curl\n", 0},
		{"insertion", []*rules.Fix{fix("flag", edit(20, 20, "-y "))}, "RUN apt-get install -y curl\n", 1},
		{"replacement", []*rules.Fix{fix("https", edit(20, 24, "wget"))}, "RUN apt-get install wget\n", 1},
		{"two fixes apart", []*rules.Fix{fix("b", edit(24, 24, " && done")), fix("a", edit(4, 11, "apt"))}, "RUN apt install curl && done\n", 2},
		{"overlap waits", []*rules.Fix{fix("a", edit(4, 11, "apt")), fix("b", edit(8, 12, "x"))}, "RUN apt install curl\n", 1},
		{"same insertion point waits", []*rules.Fix{fix("a", edit(20, 20, "-y ")), fix("b", edit(20, 20, "-q "))}, "RUN apt-get install -y curl\n", 1},
		{"duplicate dropped", []*rules.Fix{fix("a", edit(20, 20, "-y ")), fix("a again", edit(20, 20, "-y "))}, "RUN apt-get install -y curl\n", 1},
		{"multi-edit fix whole", []*rules.Fix{fix("both", edit(0, 3, "run"), edit(24, 24, " # x")), fix("inner", edit(2, 5, "zz"))}, "run apt-get install curl # x\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, applied, err := ApplyFixes(src, tt.fixes)
			if err != nil {
				t.Fatalf("ApplyFixes: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("text = %q, want %q", got, tt.want)
			}
			if len(applied) != tt.applied {
				t.Errorf("applied %d fixes, want %d", len(applied), tt.applied)
			}
		})
	}
}

func TestApplyFixesLeavesSourceAlone(t *testing.T) {
	src := []byte("FROM a\n")
	_, _, _ = ApplyFixes(src, []*rules.Fix{fix("x", edit(0, 4, "from"))})
	if string(src) != "FROM a\n" {
		t.Errorf("source changed to %q", src)
	}
}

func TestApplyFixesBadEdits(t *testing.T) {
	src := []byte("FROM a\n")
	tests := []struct {
		name string
		fx   *rules.Fix
	}{
		{"past end", fix("x", edit(3, 99, ""))},
		{"negative", fix("x", edit(-1, 2, ""))},
		{"reversed", fix("x", edit(4, 2, ""))},
		{"self overlap", fix("x", edit(0, 4, "a"), edit(2, 5, "b"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			good := fix("good", edit(0, 0, "# c\n"))
			got, applied, err := ApplyFixes(src, []*rules.Fix{tt.fx, good})
			if !errors.Is(err, ErrBadEdit) {
				t.Errorf("error = %v, want ErrBadEdit", err)
			}
			if string(got) != "# c\nFROM a\n" || len(applied) != 1 {
				t.Errorf("got %q with %d fixes, want the good fix applied alone", got, len(applied))
			}
		})
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(path, []byte("old\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.Dockerfile")
	if err := os.Symlink("Dockerfile", link); err != nil {
		t.Fatal(err)
	}

	if err := WriteFileAtomic(link, []byte("new\n")); err != nil {
		t.Fatalf("WriteFileAtomic: %v", err)
	}

	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "new\n" {
		t.Errorf("content = %q, want new", got)
	}
	info, err := os.Lstat(link)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode()&os.ModeSymlink == 0 {
		t.Error("the symbolic link was replaced by a file")
	}
	info, err = os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o640 {
		t.Errorf("mode = %v, want 0640 kept", info.Mode().Perm())
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Errorf("directory holds %d entries, want 2: a temporary file was left", len(entries))
	}
}

func TestWriteFileAtomicMissing(t *testing.T) {
	if err := WriteFileAtomic(filepath.Join(t.TempDir(), "none"), []byte("x")); err == nil {
		t.Error("WriteFileAtomic on a missing file succeeded, want an error")
	}
}

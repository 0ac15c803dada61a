package lint

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/dockmine/dockmine/rules"
)

// ErrBadEdit is wrapped by the error of a fix whose edits fall outside the
// source or overlap each other: a bug in the rule that made it.
var ErrBadEdit = errors.New("invalid edit")

// ApplyFixes applies fixes to src and returns the new text with the fixes
// that were applied. A fix is applied whole or not at all. It is skipped
// when one of its edits overlaps an edit already accepted, and a fix equal
// to an accepted one is dropped as a duplicate. Fixes are considered in the
// order of their first edit, so the result does not depend on the order of
// fixes. A fix with an edit outside src or with overlapping edits is
// skipped and named in the returned error, which wraps [ErrBadEdit]. The
// other fixes are still applied, and src is not modified.
func ApplyFixes(src []byte, fixes []*rules.Fix) ([]byte, []*rules.Fix, error) {
	var errs []error
	ordered := make([]*rules.Fix, 0, len(fixes))
	for _, fx := range fixes {
		if fx == nil || len(fx.Edits) == 0 {
			continue
		}
		if err := checkEdits(fx, len(src)); err != nil {
			errs = append(errs, err)
			continue
		}
		ordered = append(ordered, fx)
	}
	slices.SortStableFunc(ordered, func(a, b *rules.Fix) int {
		return firstEdit(a).Start - firstEdit(b).Start
	})

	var accepted []rules.Edit
	var applied []*rules.Fix
	for _, fx := range ordered {
		if slices.ContainsFunc(applied, func(prev *rules.Fix) bool { return sameEdits(prev, fx) }) {
			continue
		}
		if slices.ContainsFunc(fx.Edits, func(e rules.Edit) bool { return overlapsAny(e, accepted) }) {
			continue
		}
		accepted = append(accepted, fx.Edits...)
		applied = append(applied, fx)
	}
	if len(accepted) == 0 {
		return src, nil, errors.Join(errs...)
	}

	slices.SortFunc(accepted, func(a, b rules.Edit) int { return a.Start - b.Start })
	var out bytes.Buffer
	out.Grow(len(src) + 64)
	at := 0
	for _, e := range accepted {
		out.Write(src[at:e.Start])
		out.WriteString(e.NewText)
		at = e.End
	}
	out.Write(src[at:])
	return out.Bytes(), applied, errors.Join(errs...)
}

// checkEdits rejects edits outside the source and edits of one fix that
// overlap.
func checkEdits(fx *rules.Fix, size int) error {
	for i, e := range fx.Edits {
		if e.Start < 0 || e.End < e.Start || e.End > size {
			return fmt.Errorf("%w: fix %q: edit [%d, %d) outside the file of %d bytes", ErrBadEdit, fx.Description, e.Start, e.End, size)
		}
		for _, other := range fx.Edits[:i] {
			if overlaps(e, other) {
				return fmt.Errorf("%w: fix %q: edits [%d, %d) and [%d, %d) overlap", ErrBadEdit, fx.Description, other.Start, other.End, e.Start, e.End)
			}
		}
	}
	return nil
}

func firstEdit(fx *rules.Fix) rules.Edit {
	first := fx.Edits[0]
	for _, e := range fx.Edits[1:] {
		if e.Start < first.Start {
			first = e
		}
	}
	return first
}

// overlaps reports whether two edits touch the same bytes. Two insertions
// at one offset overlap too, because their order would be a guess.
func overlaps(a, b rules.Edit) bool {
	if a.Start == b.Start {
		return true
	}
	return a.Start < b.End && b.Start < a.End
}

func overlapsAny(e rules.Edit, accepted []rules.Edit) bool {
	return slices.ContainsFunc(accepted, func(t rules.Edit) bool { return overlaps(e, t) })
}

func sameEdits(a, b *rules.Fix) bool {
	return slices.Equal(a.Edits, b.Edits)
}

// WriteFileAtomic replaces the file at path with data. It writes a
// temporary file in the same directory with the old permission bits and
// renames it over the original, so a reader sees the old or the new text
// and never a mix. A symbolic link is followed and its target replaced.
func WriteFileAtomic(path string, data []byte) (err error) {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	info, err := os.Stat(target)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}

	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".dockmine-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()

	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

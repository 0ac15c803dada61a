package corpus

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/dockmine/dockmine/corpus/store"
)

// maxTreeDepth bounds the recursion into nested trees, so that a malformed
// repository cannot exhaust the stack.
const maxTreeDepth = 1024

// history walks the first-parent line back from head, at most depth commits
// (0 for all), and stores a Version for every change of a Dockerfile that
// each commit makes against its first parent. It returns the number of
// versions stored.
func (x *extractor) history(ctx context.Context, repo string, head *object.Commit, depth int) (int, error) {
	chain, err := firstParents(head, depth)
	if err != nil {
		return 0, err
	}

	versions := 0
	for seq := range chain {
		if err := ctx.Err(); err != nil {
			return versions, err
		}
		// chain is newest first; seq 0 is the oldest commit walked.
		c := chain[len(chain)-1-seq]
		parent, err := firstParent(c, chain, len(chain)-1-seq)
		if err != nil {
			return versions, err
		}

		tree, err := c.Tree()
		if err != nil {
			return versions, fmt.Errorf("read tree of commit %s: %w", c.Hash, err)
		}
		var parentTree *object.Tree
		parentID := ""
		if parent != nil {
			parentID = parent.Hash.String()
			if parentTree, err = parent.Tree(); err != nil {
				return versions, fmt.Errorf("read tree of commit %s: %w", parent.Hash, err)
			}
		}

		err = x.diffTrees(parentTree, tree, "", 0, func(p string, from, to *object.TreeEntry) error {
			v, changed, err := x.version(p, from, to)
			if err != nil || !changed {
				return err
			}
			v.Repo, v.Seq, v.Commit, v.Parent, v.Time = repo, seq, c.Hash.String(), parentID, c.Committer.When
			versions++
			return x.tx.PutVersion(v)
		})
		if err != nil {
			return versions, err
		}
	}
	return versions, nil
}

// firstParents returns head and its first-parent ancestors, newest first, at
// most depth of them when depth is positive. The line ends at a root commit
// or at the boundary of a shallow clone.
func firstParents(head *object.Commit, depth int) ([]*object.Commit, error) {
	chain := []*object.Commit{head}
	for c := head; c.NumParents() > 0 && (depth <= 0 || len(chain) < depth); {
		p, err := c.Parent(0)
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read parent of commit %s: %w", c.Hash, err)
		}
		chain = append(chain, p)
		c = p
	}
	return chain, nil
}

// firstParent returns the first parent of chain[i], or nil for a root commit
// or one whose parent is missing from a shallow clone.
func firstParent(c *object.Commit, chain []*object.Commit, i int) (*object.Commit, error) {
	if i+1 < len(chain) {
		return chain[i+1], nil
	}
	if c.NumParents() == 0 {
		return nil, nil
	}
	p, err := c.Parent(0)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read parent of commit %s: %w", c.Hash, err)
	}
	return p, nil
}

// version returns the Version for one changed path, without its commit
// fields, and whether the Dockerfile changed at all. A path counts as a
// Dockerfile on a side only where that side's entry is eligible, so a file
// that becomes a symlink reads as removed.
func (x *extractor) version(p string, from, to *object.TreeEntry) (store.Version, bool, error) {
	var v store.Version
	before, beforeMode, err := x.side(p, from)
	if err != nil {
		return v, false, err
	}
	after, afterMode, err := x.side(p, to)
	if err != nil {
		return v, false, err
	}
	if before.hash == after.hash && beforeMode == afterMode {
		return v, false, nil
	}
	v.Path, v.Blob, v.Before, v.Size, v.Mode = p, after.hash, before.hash, after.size, afterMode
	return v, true, nil
}

func (x *extractor) side(p string, e *object.TreeEntry) (content, uint32, error) {
	if e == nil {
		return content{}, 0, nil
	}
	c, reason, err := x.eligible(p, *e)
	if err != nil || reason != "" || c.hash.IsZero() {
		return content{}, 0, err
	}
	return c, uint32(e.Mode), nil
}

// diffTrees calls fn for every non-directory path whose entry differs
// between trees a and b, with nil for a side that lacks it. A nil tree is
// empty. Subtrees with equal ids are skipped, so the cost follows the size
// of the change, not of the tree. Only paths with a Dockerfile name are
// reported.
//
// go-git's DiffTree does the same but rejects entry names such as "..",
// which a hostile repository can contain; eligible counts those instead.
func (x *extractor) diffTrees(a, b *object.Tree, base string, depth int, fn func(p string, from, to *object.TreeEntry) error) error {
	if depth > maxTreeDepth {
		return fmt.Errorf("diff trees at %q: nested deeper than %d", base, maxTreeDepth)
	}
	entriesA, entriesB := entryMap(a), entryMap(b)
	names := make([]string, 0, len(entriesA)+len(entriesB))
	for name := range entriesA {
		names = append(names, name)
	}
	for name := range entriesB {
		if _, ok := entriesA[name]; !ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)

	for _, name := range names {
		ea, eb := entriesA[name], entriesB[name]
		if ea != nil && eb != nil && ea.Hash == eb.Hash && ea.Mode == eb.Mode {
			continue
		}
		p := joinPath(base, name)
		dirA, dirB := isDir(ea), isDir(eb)

		if dirA || dirB {
			subA, err := x.subtree(ea)
			if err != nil {
				return err
			}
			subB, err := x.subtree(eb)
			if err != nil {
				return err
			}
			if err := x.diffTrees(subA, subB, p, depth+1, fn); err != nil {
				return err
			}
		}

		// A leaf on one side, possibly against a directory on the other.
		leafA, leafB := leaf(ea), leaf(eb)
		if (leafA != nil || leafB != nil) && IsDockerfileName(p) {
			if err := fn(p, leafA, leafB); err != nil {
				return err
			}
		}
	}
	return nil
}

func (x *extractor) subtree(e *object.TreeEntry) (*object.Tree, error) {
	if !isDir(e) {
		return nil, nil
	}
	t, err := object.GetTree(x.objects, e.Hash)
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", e.Hash, err)
	}
	return t, nil
}

func entryMap(t *object.Tree) map[string]*object.TreeEntry {
	if t == nil {
		return nil
	}
	m := make(map[string]*object.TreeEntry, len(t.Entries))
	for i := range t.Entries {
		m[t.Entries[i].Name] = &t.Entries[i]
	}
	return m
}

func isDir(e *object.TreeEntry) bool {
	return e != nil && e.Mode == filemode.Dir
}

func leaf(e *object.TreeEntry) *object.TreeEntry {
	if e == nil || e.Mode == filemode.Dir {
		return nil
	}
	return e
}

func joinPath(base, name string) string {
	if base == "" {
		return name
	}
	return base + "/" + name
}

package corpus

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/storage/memory"
)

// Errors of fetching a repository.
var (
	ErrRepoNotFound = errors.New("repository not found")
	ErrEmptyRepo    = errors.New("repository has no commits")
	errPlainDir     = errors.New("not a git repository")
)

// pinRef is the local branch a pinned commit is fetched into.
const pinRef = "refs/heads/dockmine-pin"

// fetch opens src in place when it is a local path and clones it into
// memory otherwise. It tries each target of [cloneTargets] until one
// exists. It returns errPlainDir for a local directory that is not a git
// repository, with its path.
func (c *crawler) fetch(ctx context.Context, src Source, depth int) (*git.Repository, string, error) {
	var tried []string
	for _, target := range cloneTargets(c.opts.Rewrites, src) {
		if isLocal(target) {
			if !localExists(target) {
				tried = append(tried, target)
				continue
			}
			repo, err := git.PlainOpenWithOptions(target, &git.PlainOpenOptions{EnableDotGitCommonDir: true})
			if errors.Is(err, git.ErrRepositoryNotExists) {
				return nil, target, errPlainDir
			}
			if err != nil {
				return nil, target, fmt.Errorf("open %s: %w", target, err)
			}
			return repo, target, nil
		}

		location := RedactURL(target)
		var repo *git.Repository
		err := c.opts.Retry.do(ctx, "clone "+location, classifyClone, func() error {
			var err error
			repo, err = cloneMemory(ctx, target, src.Pin, depth)
			return err
		})
		if errors.Is(err, transport.ErrRepositoryNotFound) {
			tried = append(tried, location)
			continue
		}
		if err != nil {
			return nil, location, fmt.Errorf("clone %s: %w", location, redactError(err, target))
		}
		return repo, location, nil
	}
	return nil, "", fmt.Errorf("%w: tried %s", ErrRepoNotFound, strings.Join(tried, " and "))
}

// cloneMemory clones url into memory without a worktree: only the branch
// HEAD names, or only the pinned commit, and depth commits of history (0 for
// all). A server that does not serve commits by id gets a full fetch of its
// branches instead.
func cloneMemory(ctx context.Context, url, pin string, depth int) (*git.Repository, error) {
	// NOTE: go-git's memory storage keeps every fetched object decompressed,
	// so one clone can take more memory than the repository's pack. Jobs
	// bounds the clones held at once, but not the size of each.
	st := memory.NewStorage()
	if pin == "" {
		return git.CloneContext(ctx, st, nil, &git.CloneOptions{
			URL:          url,
			Depth:        depth,
			SingleBranch: true,
			NoCheckout:   true,
			Tags:         git.NoTags,
		})
	}

	repo, err := git.Init(st, nil)
	if err != nil {
		return nil, err
	}
	remote, err := repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{url}})
	if err != nil {
		return nil, err
	}
	if len(pin) == 40 {
		err = remote.FetchContext(ctx, &git.FetchOptions{
			RefSpecs: []config.RefSpec{config.RefSpec(pin + ":" + pinRef)},
			Depth:    depth,
			Tags:     git.NoTags,
		})
		if err == nil || errors.Is(err, git.NoErrAlreadyUpToDate) {
			return repo, nil
		}
		if !errors.Is(err, git.ErrExactSHA1NotSupported) {
			return nil, err
		}
	}
	err = remote.FetchContext(ctx, &git.FetchOptions{
		RefSpecs: []config.RefSpec{"+refs/heads/*:refs/remotes/origin/*"},
		Tags:     git.NoTags,
	})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return nil, err
	}
	return repo, nil
}

// classifyClone retries clones that failed on the network. A missing or
// empty repository and refused credentials are final.
func classifyClone(err error) verdict {
	switch {
	case errors.Is(err, transport.ErrRepositoryNotFound),
		errors.Is(err, transport.ErrEmptyRemoteRepository),
		errors.Is(err, transport.ErrAuthenticationRequired),
		errors.Is(err, transport.ErrAuthorizationFailed),
		errors.Is(err, transport.ErrInvalidAuthMethod):
		return verdict{}
	case isTransient(err):
		return verdict{retry: true, reason: "connection error"}
	}
	return verdict{}
}

// redactError removes the credentials of target from the text of err.
func redactError(err error, target string) error {
	redacted := RedactURL(target)
	if redacted == target || !strings.Contains(err.Error(), target) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), target, redacted))
}

// resolve returns the commit to crawl: the pinned one, or the one HEAD
// names, with the branch name when HEAD names a branch. It returns
// ErrEmptyRepo when HEAD names no commit.
func resolve(repo *git.Repository, pin string) (*object.Commit, string, error) {
	if pin != "" {
		id, err := repo.ResolveRevision(plumbing.Revision(pin))
		if err == nil && !strings.HasPrefix(id.String(), pin) {
			err = plumbing.ErrReferenceNotFound
		}
		if err != nil {
			return nil, "", fmt.Errorf("resolve pinned commit %s: %w", pin, err)
		}
		c, err := repo.CommitObject(*id)
		if err != nil {
			return nil, "", fmt.Errorf("read pinned commit %s: %w", pin, err)
		}
		return c, "", nil
	}

	head, err := repo.Head()
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return nil, "", ErrEmptyRepo
	}
	if err != nil {
		return nil, "", fmt.Errorf("resolve HEAD: %w", err)
	}
	c, err := repo.CommitObject(head.Hash())
	if err != nil {
		return nil, "", fmt.Errorf("read HEAD commit %s: %w", head.Hash(), err)
	}
	branch := ""
	if head.Name().IsBranch() {
		branch = head.Name().Short()
	}
	return c, branch, nil
}

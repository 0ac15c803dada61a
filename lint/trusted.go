package lint

import (
	"fmt"
	"path"
	"strings"

	"github.com/dockmine/dockmine/ast"
)

// TrustedRegistryCheck is the built-in check name of the rule that reports
// base images from registries outside the trusted-registries setting. The
// rule names it as an external check, like ignore-pragma, and the linter
// reports its findings, because the list is configuration that packs do
// not carry.
//
// NOTE: the default pack has no rule with this check yet, so the setting
// has no effect until a pack adds one. dockmine lint warns in that case.
const TrustedRegistryCheck = "trusted-registry"

// dockerHubNames are the host names that all mean Docker Hub, the registry
// of an image reference without a host.
var dockerHubNames = []string{"docker.io", "index.docker.io", "registry-1.docker.io", "hub.docker.com"}

// untrustedImage is a FROM whose registry is not trusted.
type untrustedImage struct {
	inst     *ast.Instruction
	image    *ast.Word // the image argument of FROM
	registry string
}

// untrustedImages returns the FROM instructions whose base image comes
// from a registry that trusted does not list. An entry may be a host, a
// host:port, or a pattern such as *.example.org, where * matches any part
// of a host name, dots included. FROM scratch, FROM an
// earlier stage and images whose registry is only known at build time are
// skipped. An empty list trusts every registry.
func untrustedImages(f *ast.File, trusted []string) []untrustedImage {
	if len(trusted) == 0 {
		return nil
	}
	var out []untrustedImage
	for _, s := range f.Stages {
		img := s.Image
		if img.Scratch || img.Dynamic || s.BaseStage >= 0 || s.From == nil {
			continue
		}
		registry := strings.ToLower(img.Registry)
		if registry == "" {
			registry = "docker.io"
		}
		if isTrusted(registry, trusted) {
			continue
		}
		from := s.From.Effective()
		if len(from.Args) == 0 {
			continue
		}
		out = append(out, untrustedImage{inst: s.From, image: from.Args[0], registry: registry})
	}
	return out
}

func isTrusted(registry string, trusted []string) bool {
	hub := isDockerHub(registry)
	for _, entry := range trusted {
		entry = strings.ToLower(strings.TrimSpace(entry))
		if entry == registry || hub && isDockerHub(entry) {
			return true
		}
		if ok, err := path.Match(entry, registry); err == nil && ok {
			return true
		}
	}
	return false
}

func isDockerHub(host string) bool {
	for _, name := range dockerHubNames {
		if host == name {
			return true
		}
	}
	return false
}

// trustedRegistryDiagnostics reports the untrusted base images of a file
// with the policy's trusted-registry rule, when it runs one.
func trustedRegistryDiagnostics(name string, f *ast.File, pol *Policy) []Diagnostic {
	rule := pol.trusted
	if rule == nil {
		return nil
	}
	var out []Diagnostic
	for _, u := range untrustedImages(f, pol.TrustedRegistries) {
		out = append(out, Diagnostic{
			Rule:     rule,
			Severity: pol.Severity(rule),
			File:     name,
			Range:    u.image.Range,
			Message: fmt.Sprintf("pull %q from a trusted registry (%s) instead of %s",
				u.image.Value, strings.Join(pol.TrustedRegistries, ", "), u.registry),
		})
	}
	return out
}

package lint

import (
	"slices"
	"testing"

	"github.com/dockmine/dockmine/lint/config"
	"github.com/dockmine/dockmine/rules"
)

func TestUntrustedImages(t *testing.T) {
	src := `ARG REGISTRY
FROM debian:12.6 AS hub
FROM docker.io/library/alpine:3.20 AS hub-explicit
FROM registry.example.org/team/build:1.0 AS build
FROM mirror.internal.example.org:5000/base:2 AS mirror
FROM ghcr.io/acme/tool:1.2 AS ghcr
FROM ${REGISTRY}/app:1.0 AS dynamic
FROM build AS stage-ref
FROM scratch
`
	f := parse(t, src)
	tests := []struct {
		name    string
		trusted []string
		want    []string // registries reported, in file order
	}{
		{"empty trusts all", nil, nil},
		{"docker hub only", []string{"docker.io"}, []string{"registry.example.org", "mirror.internal.example.org:5000", "ghcr.io"}},
		{"hub by another name", []string{"index.docker.io", "registry.example.org"}, []string{"mirror.internal.example.org:5000", "ghcr.io"}},
		{"pattern", []string{"*.example.org:5000", "*.example.org", "ghcr.io"}, []string{"docker.io", "docker.io"}},
		{"pattern needs the port", []string{"*.example.org", "docker.io", "ghcr.io"}, []string{"mirror.internal.example.org:5000"}},
		{"case", []string{"DOCKER.IO", "Registry.Example.Org", "ghcr.io", "mirror.internal.example.org:5000"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, u := range untrustedImages(f, tt.trusted) {
				got = append(got, u.registry)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("untrusted registries = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestUntrustedImageRange(t *testing.T) {
	f := parse(t, "FROM --platform=$BUILDPLATFORM ghcr.io/acme/tool:1.2 AS build\n")
	got := untrustedImages(f, []string{"docker.io"})
	if len(got) != 1 {
		t.Fatalf("got %d untrusted images, want 1", len(got))
	}
	if r := got[0].image.Range; r.Start.Col != 32 || r.End.Col != 53 {
		t.Errorf("image range = %d:%d-%d:%d, want 1:32-1:53, the image word", r.Start.Line, r.Start.Col, r.End.Line, r.End.Col)
	}
}

func TestLintTrustedRegistries(t *testing.T) {
	pack := rules.Default()
	var rule *rules.Rule
	for _, r := range pack.Rules {
		if r.Check == TrustedRegistryCheck {
			rule = r
		}
	}
	if rule == nil {
		t.Skipf("the default pack has no rule with the %s check yet", TrustedRegistryCheck)
	}

	trusted := config.Settings{TrustedRegistries: []config.Value{{Text: "registry.example.org"}}}
	l, err := New(Options{Packs: []*rules.Pack{pack}, Only: []config.Value{{Text: rule.Code}}, Flags: trusted})
	if err != nil {
		t.Fatal(err)
	}
	res := lintText(t, l, "FROM registry.example.org/base:1\nFROM debian:12.6\n")
	if got := codes(res); !slices.Equal(got, []string{rule.Code + "@2:6"}) {
		t.Errorf("diagnostics = %v, want one %s at 2:6", got, rule.Code)
	}
}
